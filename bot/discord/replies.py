"""Sending replies safely: never a ping, and a private note that works whether or not the
interaction was already answered."""

from __future__ import annotations

import logging

import discord

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()


async def reply_privately(interaction: discord.Interaction, message: str) -> None:
    """Send `message` to whoever ran the command or clicked the button, and only to them."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(message, ephemeral=True,
                                                    allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        log.warning("could not send a private reply: %s", exc)
