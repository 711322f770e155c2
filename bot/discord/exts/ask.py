"""Questions: /ask, a mention of the bot, or any message in an answer channel."""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord.checks import QuestionCooldown
from bot.discord.i18n import lang_of, text
from bot.discord.render import answer_embeds, no_match_text, question_line
from bot.discord.replies import NO_MENTIONS
from bot.discord.views import answer_view
from bot.engine import MAX_QUESTION, QuestionError

if TYPE_CHECKING:
    from bot.discord.client import NotesBot

log = logging.getLogger(__name__)

MENTION_RESULTS = 3
COOLDOWN_NOTICE_SECONDS = 8  # a mention on cooldown gets a short reply that deletes itself


@dataclass
class Reply:
    """A message to send: text, embeds, buttons."""

    content: str = ""
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None

    def kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {"content": self.content or None, "embeds": self.embeds,
                               "allowed_mentions": NO_MENTIONS}
        if self.view is not None:
            out["view"] = self.view
        return out


class Ask(commands.Cog):
    def __init__(self, bot: NotesBot) -> None:
        self.bot = bot
        self.cooldown = QuestionCooldown(bot.settings)

    def compose(self, question: str, k: int, lang: str, share: bool = False) -> Reply:
        """The answer to `question` as a message; QuestionError for an unusable question."""
        engine = self.bot.holder.engine
        answer = engine.ask(question, k)
        key = self.bot.feedback.remember(answer)
        if not answer.hits or not answer.good:
            suggestions = answer.suggestions or engine.suggest_titles(question)
            return Reply(content=no_match_text(answer.question, suggestions, lang))
        return Reply(content=question_line(answer.question), embeds=answer_embeds(answer, lang),
                     view=answer_view(key, lang, share=share))

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        retry = self.cooldown.retry_after(interaction.user)
        if retry:
            raise app_commands.CommandOnCooldown(self.cooldown.cooldown_of(interaction.user), retry)
        return True

    @app_commands.command(name="ask")
    @app_commands.describe(question=_("Your question, in French or English"),
                           results=_("How many passages to show (1 to 5)"),
                           private=_("Only you see the answer (you can share it afterwards)"))
    async def ask(self, interaction: discord.Interaction,
                  question: app_commands.Range[str, 1, MAX_QUESTION],
                  results: app_commands.Range[int, 1, 5] = 3, private: bool = False) -> None:
        """Ask the notes a question"""
        await interaction.response.defer(thinking=True, ephemeral=private)
        lang = lang_of(interaction.locale)
        try:
            reply = self.compose(question, results, lang, share=private)
        except QuestionError as exc:
            reply = Reply(content=str(exc))
        await interaction.followup.send(**reply.kwargs(), ephemeral=private)

    # --- mentions and answer channels

    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or None when it is not for the bot."""
        me = self.bot.user
        if me is None:
            return None
        own_role = message.guild.self_role if message.guild else None
        mentioned = me.id in message.raw_mentions or (
            own_role is not None and own_role.id in message.raw_role_mentions)
        channels = {message.channel.id, getattr(message.channel, "parent_id", None)}  # threads too
        if not mentioned and not channels & set(self.bot.settings.answer_channels):
            return None
        content = re.sub(rf"<@!?{me.id}>", " ", message.content)
        if own_role is not None:
            content = content.replace(f"<@&{own_role.id}>", " ")
        question = " ".join(content.split())
        return question if question or mentioned else None  # a picture in an answer channel: no

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.webhook_id is not None:
            return
        question = self.question_in(message)
        if question is None:
            return
        lang = lang_of(message.guild.preferred_locale if message.guild else None)
        try:
            await self._answer_message(message, question, lang)
        except Exception:  # noqa: BLE001 - a listener's error would otherwise reach nobody
            log.exception("answering a message failed")
            await self._reply(message, Reply(content=text("error", lang)))

    async def _answer_message(self, message: discord.Message, question: str, lang: str) -> None:
        if not question:
            await self._reply(message, Reply(content=text("mention_help", lang)))
            return
        retry = self.cooldown.retry_after(message.author)
        if retry:
            notice = text("cooldown", lang, seconds=max(1, math.ceil(retry)))
            await message.reply(notice, mention_author=False, allowed_mentions=NO_MENTIONS,
                                delete_after=COOLDOWN_NOTICE_SECONDS)
            return
        try:  # no "typing…": the answer is computed at once, without waiting on anything
            reply = self.compose(question, MENTION_RESULTS, lang)
        except QuestionError as exc:
            reply = Reply(content=str(exc))
        await self._reply(message, reply)

    @staticmethod
    async def _reply(message: discord.Message, reply: Reply) -> None:
        try:
            await message.reply(**reply.kwargs(), mention_author=False)
        except discord.HTTPException as exc:
            log.warning("could not reply in channel %s: %s", message.channel.id, exc)


async def setup(bot: NotesBot) -> None:
    await bot.add_cog(Ask(bot))
