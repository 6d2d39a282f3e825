// the page the catalog answers when the mesh does not: the header only
Catalog.header();
