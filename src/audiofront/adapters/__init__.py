"""Framework adapters: ``audiofront.adapters.torch`` (torch.nn modules) and
``audiofront.adapters.keras`` (Keras 3 layers on the TensorFlow, torch and JAX backends), with
librosa's names and the core's numbers. ``_keras`` is the Keras glue shared with
``audiofront.compat.kapre`` (layouts, layer bases), ``_tensorflow`` the small array-API
namespace the core uses on TensorFlow. Each imports its framework when imported itself;
``import audiofront`` imports none of them."""
