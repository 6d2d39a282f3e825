package dev.mesh.archfixture.b;

/** Fixture: the other half of the package cycle. */
public class B {
    public dev.mesh.archfixture.a.A a;
}
