"""The translation catalogues as loaded, made quicker to search (the production server's warm-up)."""

from gettext import GNUTranslations

from django.utils.translation import trans_real


def drop_empty_fallbacks() -> int:
    """Unlink every fallback catalogue that holds no message, only a catalogue's header; returns how many.

    Behind en-gb, Django chains the English catalogue of each contributing app (six, each holding
    nothing but its header), and every lookup of a message without a British entry — nearly every
    one in English, and every untranslated one in German, French or Dutch, which fall back to
    en-gb — walked all six: 5.1 µs per gettext in English, 2.9 µs without them (timeit), and the
    roster page makes about 520 lookups. A lookup that misses the catalogues kept would have
    missed the dropped ones as well and ended the same way, so no answer changes.
    """
    dropped = 0
    for translation in list(trans_real._translations.values()):
        link = translation
        while getattr(link, "_fallback", None) is not None:
            following = link._fallback
            catalog = getattr(following, "_catalog", None)
            if (type(following) is GNUTranslations and isinstance(catalog, dict)
                    and set(catalog) <= {""}):
                link._fallback = following._fallback
                dropped += 1
            else:
                link = following
    return dropped
