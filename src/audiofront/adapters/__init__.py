"""Framework adapters: ``audiofront.adapters.torch`` (torch.nn modules). Each imports its
framework when imported itself; ``import audiofront`` imports none of them."""
