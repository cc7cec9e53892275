"""Planning: registration moments, their opening blocks, slots and the staff who run them."""
