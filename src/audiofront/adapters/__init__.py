"""Framework adapters: ``audiofront.adapters.torch`` (torch.nn modules) and
``audiofront.adapters.keras`` (Keras 3 layers on the TensorFlow, torch and JAX backends;
``_tensorflow`` is the small array-API namespace the core uses on TensorFlow). Each imports its
framework when imported itself; ``import audiofront`` imports none of them."""
