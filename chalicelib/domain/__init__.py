"""Pure rules of the product: no AWS, no I/O, tested with plain pytest."""
