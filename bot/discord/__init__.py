"""The Discord layer: a bot that answers from the notes engine (`bot.engine`); the core never
imports this package. Named `bot.discord`, it does not shadow the `discord` library: every module
here imports the library with absolute imports (`import discord`)."""
