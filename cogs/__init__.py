"""The Discord surface of kindred: one cog per capability."""
