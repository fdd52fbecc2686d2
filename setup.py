"""Package discovery for the layout in which compiler/ and recipes/ live beside deploybook/
but install as deploybook.compiler and deploybook.recipes (see pyproject.toml for the rest)."""

from setuptools import find_packages, setup

MAPPED = {"deploybook.compiler": "compiler", "deploybook.recipes": "recipes"}

packages = find_packages(include=["deploybook", "deploybook.*"])
for name, folder in MAPPED.items():
    packages += [name] + [f"{name}.{sub}" for sub in find_packages(folder)]

setup(packages=packages, package_dir={"deploybook": "deploybook", **MAPPED})
