"""The vendor-flavored sandbox for tests: see :mod:`tui.sandbox.vendor` (it moved there).

Kept so tests that import it from here keep working.
"""

from tui.sandbox.vendor import EXTRA_KEY, SPEC_VARIANT_FIELDS, VendorShapes

__all__ = ["EXTRA_KEY", "SPEC_VARIANT_FIELDS", "VendorShapes"]
