"""Modules under folders that hubconf.py puts on sys.path, each added in a common spelling."""
import os
import sys
from pathlib import Path

dependencies = ["torch"]

HERE = os.path.dirname(os.path.abspath(__file__))

sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'src'))
sys.path.append(str(Path(__file__).parent / "lib"))
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "vendor", "pkgs")))
sys.path.insert(0, str(Path(__file__).resolve().parent / "third"))
sys.path.insert(1, os.path.join(HERE, "fourth"))

from srcnets import small_net          # src/srcnets/__init__.py re-exports from .blocks
from srcnets.blocks import Block
from libnets import lib_net            # lib/libnets.py (appended)
from vendornets import vendor_net      # vendor/pkgs/vendornets.py
from thirdnets import third_net        # third/thirdnets.py
from fourthnets import fourth_net      # fourth/fourthnets.py

try:
    from srcnets.fast import fast_net  # srcnets is a regular package without 'fast': ImportError for sure
except ImportError:
    fast_net = None
