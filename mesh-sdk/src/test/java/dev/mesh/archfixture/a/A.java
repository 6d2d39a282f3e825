package dev.mesh.archfixture.a;

/** Fixture: half of a package cycle, for the architecture test to catch. */
public class A {
    public dev.mesh.archfixture.b.B b;
}
