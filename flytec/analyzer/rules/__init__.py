"""All rules; importing this package registers them."""
