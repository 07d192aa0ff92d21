# Sample package for Kingsnake (DEFANGED): the payload is in reqhelper/__init__.py.
from setuptools import setup

setup(
    name="reqhelper",
    version="2.0.4",
    description="HTTP request helpers",
    packages=["reqhelper"],
)
