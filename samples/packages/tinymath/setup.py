# Sample package for Kingsnake: a small, ordinary library. Nothing here should be flagged.
from setuptools import find_packages, setup

with open("README.md", encoding="utf-8") as f:
    long_description = f.read()

setup(
    name="tinymath",
    version="1.2.0",
    description="Small numeric helpers",
    long_description=long_description,
    long_description_content_type="text/markdown",
    author="Kingsnake samples",
    license="MIT",
    package_dir={"": "src"},
    packages=find_packages("src"),
    python_requires=">=3.8",
    classifiers=[
        "Programming Language :: Python :: 3",
        "License :: OSI Approved :: MIT License",
    ],
)
