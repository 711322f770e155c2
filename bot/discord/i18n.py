"""What the bot says, in English and French, and the translator for command descriptions."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

log = logging.getLogger(__name__)

# Command and option descriptions, English (the default Discord shows) -> French. The keys are the
# exact strings the commands declare: docstrings (first paragraph) and @describe texts.
COMMAND_TEXT: dict[str, str] = {
    "Ask the notes a question": "Poser une question aux notes",
    "Your question, in French or English": "Votre question, en français ou en anglais",
    "How many passages to show (1 to 5)": "Combien de passages montrer (1 à 5)",
    "Only you see the answer (you can share it afterwards)":
        "Vous seul voyez la réponse (vous pourrez la partager ensuite)",
    "Show a note's summary and its link": "Afficher le résumé d’une note et son lien",
    "The note's title (type 3 letters for suggestions)":
        "Le titre de la note (tapez 3 lettres pour avoir des suggestions)",
    "Re-read the notes and refresh the index (moderators)":
        "Relire les notes et mettre à jour l’index (modération)",
    "Index size, when it was built and which notes it covers":
        "Taille de l’index, date de construction et notes couvertes",
}

MESSAGES: dict[str, dict[str, str]] = {
    "no_match": {
        "en": "I found nothing in the notes that answers “{question}”.",
        "fr": "Je n’ai rien trouvé dans les notes qui réponde à « {question} ».",
    },
    "did_you_mean": {"en": "Did you mean: {titles}?", "fr": "Vouliez-vous dire : {titles} ?"},
    "or": {"en": "or", "fr": "ou"},
    "try_other_words": {
        "en": "Try other words, or look a note up with `/note`.",
        "fr": "Essayez d’autres mots, ou cherchez une note avec `/note`.",
    },
    "links": {"en": "Links", "fr": "Liens"},
    "more": {"en": "… and {count} more", "fr": "… et {count} de plus"},
    "draft": {"en": "Draft note", "fr": "Note en brouillon"},
    "share": {"en": "Share in channel", "fr": "Partager dans le salon"},
    "shared": {"en": "Shared in the channel.", "fr": "Partagé dans le salon."},
    "vote_up": {"en": "Thanks! Glad it helped.", "fr": "Merci ! Ravi que ça aide."},
    "vote_down": {
        "en": "Thanks: the moderators will look at this answer.",
        "fr": "Merci : la modération va regarder cette réponse.",
    },
    "vote_again": {
        "en": "You already voted on this answer.", "fr": "Vous avez déjà voté pour cette réponse.",
    },
    "vote_unknown": {
        "en": "I no longer know this answer; ask again to vote.",
        "fr": "Je ne retrouve plus cette réponse ; reposez la question pour voter.",
    },
    "cooldown": {
        "en": "You are asking fast: try again in {seconds} s.",
        "fr": "Doucement : réessayez dans {seconds} s.",
    },
    "not_allowed": {
        "en": "You are not allowed to use this command (moderators only).",
        "fr": "Vous n’avez pas le droit d’utiliser cette commande (réservée à la modération).",
    },
    "guild_only": {
        "en": "This command works in a server only.",
        "fr": "Cette commande ne marche que sur un serveur.",
    },
    "error": {
        "en": "Sorry, something went wrong on my side; the details are in the bot's log.",
        "fr": "Désolé, quelque chose s’est mal passé de mon côté ; les détails sont dans le journal "
              "du bot.",
    },
    "mention_help": {
        "en": "Ask me a question about the notes, e.g. “which MOOC takes 30 minutes?”",
        "fr": "Posez-moi une question sur les notes, par ex. « quel MOOC dure 30 minutes ? »",
    },
    "note_missing": {
        "en": "No note is titled “{title}”.", "fr": "Aucune note ne s’intitule « {title} ».",
    },
    "reindex_busy": {
        "en": "A reindex is already running (started {since}); its result will come to whoever "
              "started it.",
        "fr": "Une réindexation est déjà en cours (commencée {since}) ; son résultat ira à qui "
              "l’a lancée.",
    },
    "reindex_done": {"en": "Index refreshed", "fr": "Index mis à jour"},
    "reindex_failed": {
        "en": "Reindex failed: {reason}. The previous index keeps answering.",
        "fr": "La réindexation a échoué : {reason}. L’index précédent continue de répondre.",
    },
    "notes": {"en": "Notes", "fr": "Notes"},
    "passages": {"en": "Passages", "fr": "Passages"},
    "terms": {"en": "Terms", "fr": "Termes"},
    "added": {"en": "Added", "fr": "Ajoutées"},
    "changed": {"en": "Changed", "fr": "Modifiées"},
    "removed": {"en": "Removed", "fr": "Supprimées"},
    "problems": {"en": "Skipped or repaired files", "fr": "Fichiers ignorés ou réparés"},
    "skipped": {"en": "skipped", "fr": "ignoré"},
    "repaired": {"en": "repaired", "fr": "réparé"},
    "took": {"en": "Took", "fr": "Durée"},
    "unchanged": {"en": "{count} unchanged", "fr": "{count} inchangée(s)"},
    "git_pull": {"en": "git pull", "fr": "git pull"},
    "status_title": {"en": "notesbot {version}", "fr": "notesbot {version}"},
    "built": {"en": "Built", "fr": "Construit"},
    "corpus": {"en": "Corpus", "fr": "Corpus"},
    "reindexing": {"en": "Reindex", "fr": "Réindexation"},
    "running_since": {"en": "running since {since}", "fr": "en cours depuis {since}"},
}


def lang_of(locale: discord.Locale | str | None) -> str:
    """'fr' for French locales, 'en' for everything else."""
    return "fr" if str(locale or "").lower().startswith("fr") else "en"


def text(key: str, lang: str = "en", **values: object) -> str:
    """The message `key` in `lang` (English when missing), with `values` filled in."""
    entry = MESSAGES[key]
    return entry.get(lang, entry["en"]).format(**values)


class NotesTranslator(app_commands.Translator):
    """French and English (US, UK) descriptions for the slash commands and their options."""

    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContextTypes) -> str | None:
        if locale is discord.Locale.french:
            return COMMAND_TEXT.get(string.message)
        if locale in (discord.Locale.american_english, discord.Locale.british_english):
            return string.message if string.message in COMMAND_TEXT else None
        return None
