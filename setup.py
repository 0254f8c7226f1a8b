"""The one compiled part of kindred, optional: the word model's scorer (bot/screening/_wordscore.c).

Everything else is in pyproject.toml. Without a C compiler (a slim Docker image) the build skips
the extension with a warning and bot/screening/learned.py counts the same features in numpy.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "bot.screening._wordscore",
            ["bot/screening/_wordscore.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
    ]
)
