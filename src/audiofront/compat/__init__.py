"""Drop-in namespaces for code written for other libraries: ``audiofront.compat.kapre`` (kapre
0.1 to 0.4, as Keras 3 layers). Each is a translation table over the core and the adapters:
the peer's module layout, names, signatures, layouts and numbers, no DSP of its own. Importing
``audiofront.compat`` imports no framework."""
