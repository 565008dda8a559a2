"""Rules of category `type`: signatures, annotations, argument and result types."""
