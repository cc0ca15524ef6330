"""The invented world of the demo: queues, channel archetypes and the channels themselves.

Everything here is fiction written to *read like* a harm area without depicting it. Child-safety channels carry only
neutral stand-in wording; the extremist group ("Ash Front") is made up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from moderator_app.core.policy import PolicyReason

HOUR = 3600


@dataclass(frozen=True, slots=True)
class QueueSpec:
    key: str
    name: str
    description: str
    default_reason: PolicyReason
    priority: int
    sla_seconds: int


QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec(
        "child_safety",
        "Child safety",
        "Suspected child sexual abuse material and child endangerment. Demo items carry neutral stand-in text and "
        "abstract generated images only.",
        PolicyReason.CHILD_SAFETY,
        100,
        1 * HOUR,
    ),
    QueueSpec(
        "terrorism",
        "Terrorism and violent extremism",
        "Terrorist content, recruitment and glorification of violent extremist groups.",
        PolicyReason.TERRORISM,
        90,
        1 * HOUR,
    ),
    QueueSpec(
        "escalations",
        "Escalations",
        "Items escalated by moderators to leads, legal or specialist teams.",
        PolicyReason.OTHER,
        80,
        4 * HOUR,
    ),
    QueueSpec(
        "hate",
        "Hate and incitement",
        "Hate speech against protected groups and incitement to violence or discrimination.",
        PolicyReason.HATE_SPEECH,
        70,
        24 * HOUR,
    ),
    QueueSpec(
        "drugs",
        "Drugs",
        "Sale and promotion of illegal drugs and unlicensed medicines.",
        PolicyReason.ILLEGAL_DRUGS,
        60,
        24 * HOUR,
    ),
    QueueSpec(
        "scams",
        "Scams and fraud",
        "Investment scams, phishing, fake giveaways and other fraud.",
        PolicyReason.SCAM_FRAUD,
        50,
        48 * HOUR,
    ),
    QueueSpec(
        "spam",
        "Spam",
        "Bulk promotion, fake engagement and misleading links.",
        PolicyReason.SPAM,
        10,
        72 * HOUR,
    ),
)

QUEUE_BY_KEY: dict[str, QueueSpec] = {queue.key: queue for queue in QUEUES}


class Area(StrEnum):
    """What a channel is really about; decides its texts, images, signals and queue."""

    SCAM = "scam"
    DRUGS = "drugs"
    SPAM = "spam"
    HATE = "hate"
    TERROR = "terror"
    CHILD = "child"
    BENIGN = "benign"  # ordinary channels that were flagged by mistake


# The queue each harmful area lands in; benign channels name their (wrong) queue themselves.
AREA_QUEUE: dict[Area, str] = {
    Area.SCAM: "scams",
    Area.DRUGS: "drugs",
    Area.SPAM: "spam",
    Area.HATE: "hate",
    Area.TERROR: "terrorism",
    Area.CHILD: "child_safety",
}

# Report reasons a reporter might pick for an item in each queue (first = most common).
QUEUE_REASONS: dict[str, tuple[PolicyReason, ...]] = {
    "child_safety": (PolicyReason.CHILD_SAFETY,),
    "terrorism": (PolicyReason.TERRORISM, PolicyReason.VIOLENT_EXTREMISM),
    "hate": (PolicyReason.HATE_SPEECH, PolicyReason.INCITEMENT),
    "drugs": (PolicyReason.ILLEGAL_DRUGS,),
    "scams": (PolicyReason.SCAM_FRAUD, PolicyReason.SPAM),
    "spam": (PolicyReason.SPAM, PolicyReason.SCAM_FRAUD),
}

CLASSIFIER_LABELS: dict[str, str] = {
    "child_safety": "child_safety_classifier",
    "terrorism": "violent_extremism_classifier",
    "hate": "hate_speech_classifier",
    "drugs": "drug_sale_classifier",
    "scams": "scam_classifier",
    "spam": "spam_classifier",
}

# Hash lists only exist for the two areas where shared industry lists are the norm; the matches are invented data.
HASH_LISTS: dict[str, str] = {
    "child_safety": "industry-hash-list",
    "terrorism": "shared-extremism-hash-list",
}


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    area: Area
    handle: str
    title: str
    language: str
    description: str
    topic: str = ""  # benign channels: news, cooking, sport, crypto_news, garden, pharmacy, pets, travel
    wrong_queue: str = ""  # benign channels: the queue they were flagged into


def _benign(handle: str, title: str, language: str, description: str, topic: str, queue: str) -> ChannelSpec:
    return ChannelSpec(Area.BENIGN, handle, title, language, description, topic, queue)


def _child(number: int) -> ChannelSpec:
    return ChannelSpec(
        Area.CHILD,
        f"cs_test_channel_{number:02d}",
        f"Synthetic test channel CS-{number:02d}",
        "en",
        "[synthetic child-safety test channel — no real content]",
    )


S, D, P, H, T = Area.SCAM, Area.DRUGS, Area.SPAM, Area.HATE, Area.TERROR

CHANNELS: tuple[ChannelSpec, ...] = (
    # scams and fraud
    ChannelSpec(S, "crypto_giveaway_official", "Crypto Giveaway Official 🎁", "en", "Send 1, receive 2. Limited time!"),
    ChannelSpec(S, "x10_signals_vip", "x10 Signals VIP", "en", "Daily trading signals, 97% accuracy, no risk."),
    ChannelSpec(S, "wallet_recovery_desk", "Wallet Recovery Help Desk", "en", "Lost your wallet? 'Experts' help."),
    ChannelSpec(S, "krypto_gewinne_de", "Krypto Gewinne Deutschland", "de", "Garantierte Gewinne mit unserem Bot."),
    ChannelSpec(S, "paket_zoll_info", "Paket & Zoll Info", "de", "Infos zu Ihrer Sendung und offenen Gebühren."),
    ChannelSpec(S, "bourse_facile_fr", "Bourse Facile 💶", "fr", "Doublez votre capital en une semaine."),
    ChannelSpec(S, "aide_remboursement_fr", "Aide Remboursement", "fr", "Vérifiez votre remboursement en ligne."),
    ChannelSpec(S, "inversiones_seguras", "Inversiones Seguras", "es", "Rentabilidad garantizada cada semana."),
    ChannelSpec(S, "premios_movil_es", "Premios Móvil 🎁", "es", "Sorteos diarios. Solo pagas el envío."),
    ChannelSpec(S, "bystryi_dohod", "Быстрый доход", "ru", "Пассивный доход от 5000 € в месяц. Без риска."),
    ChannelSpec(S, "kryptofond_ua", "Криптофонд Україна", "uk", "Роздачі монет для підписників."),
    ChannelSpec(S, "arbah_madmuna", "أرباح مضمونة", "ar", "استثمار آمن وأرباح يومية مضمونة"),
    # drugs
    ChannelSpec(D, "party_supplies_delivery", "Party Supplies Delivery 🎉", "en", "Same-day 'party supplies'. DM."),
    ChannelSpec(D, "green_garden_shop", "Green Garden Shop 🍃", "en", "Garden 'herbs', discreet. Crypto only."),
    ChannelSpec(D, "nachtlieferung_24", "Nachtlieferung 24/7", "de", "Diskrete Lieferung rund um die Uhr."),
    ChannelSpec(D, "livraison_soiree", "Livraison Soirée", "fr", "Tout pour vos soirées, livré discrètement."),
    ChannelSpec(D, "fiesta_express", "Fiesta Express", "es", "Todo para tu fiesta. Entrega discreta."),
    ChannelSpec(D, "market_24_city", "Маркет 24", "ru", "Доставка по городу. Меню в личке."),
    ChannelSpec(D, "nichna_dostavka", "Нічна доставка", "uk", "Анонімна доставка по місту."),
    ChannelSpec(D, "pharma_no_rx", "Pharma Without Prescription 💊", "en", "Meds without prescription, worldwide."),
    ChannelSpec(D, "club_kit_weekend", "Club Kit Weekend", "en", "Weekend kits for club nights. Ask for the menu."),
    # spam
    ChannelSpec(P, "earn_from_home_now", "💰 Earn From Home NOW", "en", "Make €500/day from your phone."),
    ChannelSpec(P, "free_followers_4u", "Free Followers 4U", "en", "Get 10k followers free!!!"),
    ChannelSpec(P, "deals_deals_deals", "DEALS DEALS DEALS", "en", "Unbelievable discounts every hour."),
    ChannelSpec(P, "gratis_gutscheine", "Gratis Gutscheine", "de", "Jeden Tag neue Gratis-Gutscheine!"),
    ChannelSpec(P, "nebenjob_sofort", "Nebenjob sofort", "de", "Verdiene nebenbei – ohne Erfahrung."),
    ChannelSpec(P, "bons_plans_fous", "Bons Plans de Fou", "fr", "Les meilleures promos, toutes les 5 minutes."),
    ChannelSpec(P, "trabajo_desde_casa", "Trabajo Desde Casa", "es", "Gana dinero desde casa sin experiencia."),
    ChannelSpec(P, "besplatnye_podpischiki", "Бесплатные подписчики", "ru", "Накрутка подписчиков бесплатно!"),
    ChannelSpec(P, "zarobitok_vdoma", "Заробіток вдома", "uk", "Заробляй з телефону від 500 € на день."),
    ChannelSpec(P, "mivtzaim_hayom", "מבצעים היום", "he", "מבצעים חמים כל יום"),
    ChannelSpec(P, "promo_codes_daily", "Promo Codes Daily 🔥", "en", "Fresh promo codes. Some even work."),
    # hate and incitement (no slurs: an unnamed "them")
    ChannelSpec(H, "true_voice_of_town", "True Voice of Our Town", "en", "Saying what others are afraid to say."),
    ChannelSpec(H, "wake_up_neighbours", "Wake Up, Neighbours", "en", "Our town, our rules."),
    ChannelSpec(H, "klartext_heimat", "Klartext Heimat", "de", "Was andere nicht sagen dürfen."),
    ChannelSpec(H, "voix_du_quartier", "La Voix du Quartier", "fr", "Ce que les médias ne vous disent pas."),
    ChannelSpec(H, "despierta_barrio", "Despierta Barrio", "es", "Nuestro barrio, nuestras normas."),
    ChannelSpec(H, "pravda_rayona", "Правда района", "ru", "Говорим то, о чём молчат."),
    ChannelSpec(H, "golos_mista", "Голос міста", "uk", "Правда, яку приховують."),
    ChannelSpec(H, "stammtisch_nord", "Stammtisch Nord", "de", "Unzensierte Meinungen."),
    # terrorism and violent extremism (a fictional group)
    ChannelSpec(T, "ash_front_media", "Ash Front Media", "en", "Channel of the fictional Ash Front. Synthetic."),
    ChannelSpec(T, "join_the_struggle", "Join the Struggle", "en", "Recruitment 'announcements'. Synthetic."),
    ChannelSpec(T, "aschefront_news", "Aschefront Nachrichten", "de", "Fiktive Gruppe. Synthetischer Kanal."),
    ChannelSpec(T, "front_de_la_cendre", "Front de la Cendre", "fr", "Groupe fictif. Canal synthétique."),
    ChannelSpec(T, "frente_ceniza", "Frente de Ceniza", "es", "Grupo ficticio. Canal sintético."),
    ChannelSpec(T, "pepelnyi_front", "Пепельный фронт", "ru", "Вымышленная группа. Синтетический канал."),
    ChannelSpec(T, "popelyastyi_front", "Попелястий фронт", "uk", "Вигадана група. Синтетичний канал."),
    # child safety: neutral stand-ins only
    *(_child(number) for number in range(1, 6)),
    # ordinary channels flagged by mistake
    _benign("daily_city_news", "Daily City News", "en", "Local news, every morning.", "news", "terrorism"),
    _benign("rheinblick_nachrichten", "Rheinblick Nachrichten", "de", "Nachrichten aus der Region.", "news", "hate"),
    _benign("petit_journal_local", "Le Petit Journal Local", "fr", "L'actualité de chez nous.", "news", "hate"),
    _benign("noticias_del_valle", "Noticias del Valle", "es", "Noticias locales cada día.", "news", "terrorism"),
    _benign("novyny_mista", "Новини міста", "uk", "Міські новини щодня.", "news", "terrorism"),
    _benign("akhbar_almadina", "أخبار المدينة", "ar", "أخبار المدينة كل صباح", "news", "terrorism"),
    _benign("grandmas_kitchen", "Grandma's Kitchen 🍲", "en", "Family recipes, one a day.", "cooking", "spam"),
    _benign("kochen_mit_lena", "Kochen mit Lena", "de", "Einfache Rezepte für jeden Tag.", "cooking", "spam"),
    _benign("cuisine_de_saison", "Cuisine de Saison", "fr", "Des recettes de saison.", "cooking", "spam"),
    _benign("recetas_rapidas", "Recetas Rápidas", "es", "Recetas en 20 minutos.", "cooking", "spam"),
    _benign("football_fan_zone", "Football Fan Zone ⚽", "en", "Matchday talk and highlights.", "sport", "hate"),
    _benign("derbyfieber", "Derbyfieber", "de", "Alles rund um das Derby.", "sport", "hate"),
    _benign("futbol_total", "Fútbol Total", "es", "Resultados y crónicas.", "sport", "hate"),
    _benign("crypto_news_digest", "Crypto News Digest", "en", "Market news, no advice.", "crypto_news", "scams"),
    _benign("garden_club_tips", "Garden Club Tips 🌱", "en", "Herbs, tomatoes and compost.", "garden", "drugs"),
    _benign(
        "apotheken_notdienst", "Apotheken-Notdienst", "de", "Welche Apotheke hat heute Dienst?", "pharmacy", "drugs"
    ),
    _benign("kotiki_kazhdyi_den", "Котики каждый день", "ru", "Котики. Каждый день.", "pets", "spam"),
    _benign("travel_light_blog", "Travel Light", "en", "Cheap trips and honest reviews.", "travel", "scams"),
)

# The small scale keeps a spread of areas and languages (including right-to-left) in ten channels.
SMALL_HANDLES: tuple[str, ...] = (
    "crypto_giveaway_official",
    "krypto_gewinne_de",
    "party_supplies_delivery",
    "earn_from_home_now",
    "mivtzaim_hayom",
    "voix_du_quartier",
    "pepelnyi_front",
    "cs_test_channel_01",
    "novyny_mista",
    "recetas_rapidas",
)


def channels_for(scale: str) -> list[ChannelSpec]:
    if scale == "full":
        return list(CHANNELS)
    if scale == "small":
        by_handle = {spec.handle: spec for spec in CHANNELS}
        return [by_handle[handle] for handle in SMALL_HANDLES]
    raise ValueError(f"unknown demo scale {scale!r} (use 'full' or 'small')")


def queue_for(spec: ChannelSpec) -> str:
    return spec.wrong_queue if spec.area is Area.BENIGN else AREA_QUEUE[spec.area]
