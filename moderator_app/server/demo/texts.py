"""Invented post texts, report comments and notes, in several languages.

Templates are suggestive of a harm area only: no slurs, no graphic descriptions, nothing sexual. Child-safety texts
are neutral stand-ins and never describe anything. Placeholders: {wallet} {link} {mention} {mention2} {n} {city}
{code} — all always supplied by the caller.
"""

from __future__ import annotations

from random import Random

from moderator_app.server.demo.catalogue import Area

Templates = dict[str, tuple[str, ...]]

FLAGGED: dict[Area, Templates] = {
    Area.SCAM: {
        "en": (
            "🚀 Guaranteed 10x returns in 48 hours! Send {n}00 USDT to this wallet: {wallet} and receive double back. "
            "Only {n} spots left!",
            "Official giveaway 🎁 We are giving away {n},000 coins. Verify your wallet at {link} to claim yours.",
            "Your account was selected for a refund. Confirm your card details at {link} within 24 h. "
            "Support: {mention}",
            "VIP signals: 97% win rate, zero risk. DM {mention} to join — first week 'free'.",
        ),
        "de": (
            "🚀 Garantierte 10-fache Rendite in 48 Stunden! Sende {n}00 USDT an diese Wallet: {wallet} und erhalte "
            "das Doppelte zurück.",
            "Ihr Paket konnte nicht zugestellt werden. Zahlen Sie 1,99 € Gebühr unter {link}.",
            "Nur heute: Investiere 250 € und verdiene 5.000 € pro Woche. Schreib {mention}!",
        ),
        "fr": (
            "🚀 Rendement garanti x10 en 48 heures ! Envoyez {n}00 USDT à ce portefeuille : {wallet} et recevez le "
            "double.",
            "Votre compte sera suspendu. Vérifiez vos informations ici : {link}",
            "Cadeau officiel 🎁 {n} 000 jetons offerts aux premiers inscrits : {link}",
        ),
        "es": (
            "🚀 ¡Rentabilidad garantizada x10 en 48 horas! Envía {n}00 USDT a esta cartera: {wallet} y recibe "
            "el doble.",
            "¡Has ganado un teléfono! 🎁 Paga solo el envío (2,95 €) en {link}",
            "Inversión sin riesgo: 300 € hoy, 6.000 € el viernes. Escribe a {mention}.",
        ),
        "ru": (
            "🚀 Гарантированный доход x10 за 48 часов! Отправьте {n}00 USDT на кошелёк {wallet} и получите вдвое "
            "больше.",
            "Ваша карта заблокирована. Подтвердите данные по ссылке {link} в течение 24 часов.",
            "Раздача от «официального фонда» 🎁 {n} 000 монет первым участникам. Подробности: {mention}",
        ),
        "uk": (
            "🚀 Гарантований прибуток x10 за 48 годин! Надішліть {n}00 USDT на гаманець {wallet} і отримайте вдвічі "
            "більше.",
            "Ваш рахунок буде заблоковано. Підтвердіть дані за посиланням {link}.",
            "Роздача від «офіційного фонду» 🎁 {n} 000 монет першим учасникам. Пишіть {mention}",
        ),
        "ar": (
            "🚀 أرباح مضمونة عشرة أضعاف خلال 48 ساعة! أرسل {n}00 USDT إلى المحفظة {wallet}",
            "استثمر الآن واحصل على أرباح يومية مضمونة. التفاصيل: {link}",
        ),
    },
    Area.DRUGS: {
        "en": (
            "DM for menu 📋 Discreet delivery in {city}, same day. Payment in crypto only.",
            "New stock arrived 🍃 'party supplies', ask {mention} for prices. Stealth packaging.",
            "Weekend special: 2 for 1 on 'party favours'. Drop-off points in {city}. Menu via {link}",
            "No prescription needed 💊 worldwide shipping, order code {code}.",
        ),
        "de": (
            "Menü per DM 📋 Diskrete Lieferung in {city}, noch am selben Tag. Zahlung nur in Krypto.",
            "Neue Ware da 🍃 „Partyzubehör“, Preise bei {mention}. Neutrale Verpackung.",
        ),
        "fr": (
            "Menu en MP 📋 Livraison discrète à {city}, le jour même. Paiement en crypto uniquement.",
            "Nouveau stock 🍃 « fournitures de fête », tarifs chez {mention}.",
        ),
        "es": (
            "Menú por privado 📋 Entrega discreta en {city} el mismo día. Solo pago en cripto.",
            "Llegó material nuevo 🍃 precios por {mention}. Envío discreto.",
        ),
        "ru": (
            "Меню в личке 📋 Доставка по городу в день заказа, анонимно. Оплата только криптой.",
            "Новое поступление 🍃 «товары для вечеринок», цены у {mention}.",
        ),
        "uk": (
            "Меню в особистих 📋 Доставка по місту в день замовлення, анонімно. Оплата лише криптою.",
            "Нове надходження 🍃 ціни у {mention}. Непримітне пакування.",
        ),
    },
    Area.SPAM: {
        "en": (
            "💰 EARN FROM HOME €500/day!!! No experience needed 👉 {link}",
            "Follow {mention} and {mention2} for FREE followers!!! 🔥🔥🔥",
            '<b>BIG NEWS</b> click here <a href="{link}">{link}</a> for free gift cards',
            "<img src=http://example.invalid/x.png> Claim your prize now <b>FREE</b> {link}",
            "<script>alert('demo')</script> Totally normal post, nothing to see. Promo code {code}",
            "Cheap sunglasses 90% off 😎 {link} {link} {link}",
        ),
        "de": (
            "💰 VON ZU HAUSE VERDIENEN – 500 €/Tag!!! Keine Erfahrung nötig 👉 {link}",
            "Gratis Follower!!! Folge {mention} 🔥🔥🔥 <b>JETZT</b>",
        ),
        "fr": (
            "💰 GAGNEZ DEPUIS CHEZ VOUS 500 €/jour !!! Sans expérience 👉 {link}",
            "Abonnés gratuits !!! Suivez {mention} 🔥",
        ),
        "es": (
            "💰 ¡GANA DESDE CASA 500 €/día! Sin experiencia 👉 {link}",
            "¡Seguidores gratis! Sigue a {mention} 🔥🔥",
        ),
        "ru": (
            "💰 ЗАРАБОТОК НА ДОМУ от 500 €/день!!! Опыт не нужен 👉 {link}",
            "Бесплатные подписчики!!! Подпишись на {mention} 🔥",
        ),
        "uk": (
            "💰 ЗАРОБІТОК ВДОМА від 500 €/день!!! Досвід не потрібен 👉 {link}",
            "Безкоштовні підписники!!! Підпишись на {mention} 🔥",
        ),
        "he": ("הצטרפו עכשיו וקבלו 500 ₪ ביום מהבית! 👉 {link}", "מבצע מטורף: 90% הנחה רק היום {link}"),
    },
    Area.HATE: {
        "en": (
            "They don't belong in our town. Everyone knows what 'those people' are like. Share if you agree.",
            "Time to make them feel unwelcome. Meet at the square on Saturday, you know what to do.",
            "Another day, another story about the newcomers. When will someone finally act? {mention}",
        ),
        "de": (
            "Die gehören nicht hierher. Jeder weiß, wie „diese Leute“ sind. Teilen, wenn du zustimmst.",
            "Zeit, ihnen zu zeigen, dass sie hier nicht willkommen sind. Samstag am Marktplatz.",
        ),
        "fr": (
            "Ils n'ont rien à faire chez nous. Tout le monde sait comment sont « ces gens-là ». Partagez !",
            "Il est temps de leur montrer qu'ils ne sont pas les bienvenus. Rendez-vous samedi sur la place.",
        ),
        "es": (
            "No pertenecen a nuestro barrio. Todos saben cómo es «esa gente». Comparte si estás de acuerdo.",
            "Hay que hacerles ver que no son bienvenidos. Quedamos el sábado en la plaza.",
        ),
        "ru": (
            "Им здесь не место. Все знают, какие «эти люди». Поделитесь, если согласны.",
            "Пора показать им, что их здесь не ждут. Встречаемся в субботу на площади.",
        ),
        "uk": (
            "Їм тут не місце. Усі знають, які «ці люди». Поширте, якщо згодні.",
            "Час показати їм, що їх тут не чекають. Зустрічаємося в суботу на площі.",
        ),
    },
    Area.TERROR: {
        "en": (
            "The Ash Front calls on all supporters to join the struggle. Recruitment details in private chat only. "
            "[synthetic]",
            "Glory to the fighters of the Ash Front. Our next 'action' will be announced here. [synthetic]",
            "Donate to the cause: {wallet}. Every coin supports the movement. [synthetic demo text]",
        ),
        "de": (
            "Die Aschefront ruft alle Unterstützer auf, sich dem Kampf anzuschließen. Anwerbung nur im privaten "
            "Chat. [synthetisch]",
            "Spendet für die Sache: {wallet}. Jede Münze unterstützt die Bewegung. [synthetisch]",
        ),
        "fr": (
            "Le Front de la Cendre appelle ses partisans à rejoindre la lutte. Recrutement en privé. [synthétique]",
            "Faites un don à la cause : {wallet}. [synthétique]",
        ),
        "es": (
            "El Frente de Ceniza llama a sus simpatizantes a unirse a la lucha. Reclutamiento por privado. [sintético]",
            "Dona a la causa: {wallet}. [sintético]",
        ),
        "ru": (
            "Пепельный фронт призывает сторонников присоединиться к борьбе. Вербовка только в личных сообщениях. "
            "[синтетический текст]",
            "Поддержите дело: {wallet}. [синтетический текст]",
        ),
        "uk": (
            "Попелястий фронт закликає прихильників долучитися до боротьби. Вербування лише в особистих "
            "повідомленнях. [синтетичний текст]",
            "Підтримайте справу: {wallet}. [синтетичний текст]",
        ),
    },
}

# Ordinary posts of benign channels (their flagged posts too: the flag was a mistake).
TOPICS: dict[str, Templates] = {
    "news": {
        "en": (
            "City council approves new cycling lanes along the river road.",
            "Police report on yesterday's incident at the station: no injuries, the area is open again.",
            "Weather: rain until Thursday, then sunny and 22 °C. 🌦️",
        ),
        "de": (
            "Der Stadtrat beschließt neue Radwege am Rheinufer.",
            "Polizeibericht: Der Vorfall am Bahnhof ist geklärt, niemand wurde verletzt.",
        ),
        "fr": ("Le conseil municipal vote de nouvelles pistes cyclables.", "Marché de Noël : ouverture samedi à 10 h."),
        "es": ("El ayuntamiento aprueba nuevos carriles bici.", "Informe policial: el incidente de ayer, sin heridos."),
        "uk": (
            "Міська рада схвалила нові велодоріжки.",
            "Поліція: інцидент на вокзалі вчора обійшовся без постраждалих.",
        ),
        "ar": ("المجلس البلدي يوافق على مسارات جديدة للدراجات.", "الطقس: أمطار حتى الخميس ثم أجواء مشمسة."),
    },
    "cooking": {
        "en": ("Today's recipe: lentil soup with smoked paprika 🍲 Full recipe at {link}", "Sourdough day! 🍞"),
        "de": ("Heute: Linsensuppe mit Räucherpaprika 🍲 Rezept unter {link}", "Sonntagskuchen: Apfel und Zimt 🍎"),
        "fr": ("Recette du jour : velouté de potimarron 🎃 {link}", "Tarte aux pommes de mamie 🍎"),
        "es": ("Receta rápida: tortilla de patatas en 20 minutos 🥔 {link}", "Gazpacho para el calor ☀️"),
    },
    "sport": {
        "en": ("What a match! 3–2 in extra time ⚽ We'll destroy them in the return leg!", "Team news at 18:00."),
        "de": ("Was für ein Derby! Nächste Woche machen wir sie fertig! ⚽", "Aufstellung kommt um 18 Uhr."),
        "es": ("¡Partidazo! 3–2 en la prórroga ⚽ ¡En la vuelta los aplastamos!", "Convocatoria a las 18:00."),
    },
    "crypto_news": {
        "en": ("Market update: BTC flat, ETH up 2%. Not financial advice.", "Explainer: what is a seed phrase? {link}"),
    },
    "garden": {
        "en": ("Harvested the first basil and mint of the year 🌿", "Grow lights: which ones are worth it? {link}"),
    },
    "pharmacy": {
        "de": ("Notdienst heute: Löwen-Apotheke, Hauptstraße 5, bis 8 Uhr.", "Wichtig: Rezepte bitte mitbringen 💊"),
    },
    "pets": {"ru": ("Котик дня 🐱", "Рыжий кот нашёл новый дом ❤️ Спасибо всем!")},
    "travel": {"en": ("Flights to Lisbon from €19 this week ✈️ {link}", "Honest review: night trains in winter.")},
}

FILLER: Templates = {
    "en": ("Good morning, everyone! ☀️", "New update tomorrow, stay tuned.", "Thanks for 10k subscribers! 🙏"),
    "de": ("Guten Morgen zusammen! ☀️", "Morgen gibt es ein Update.", "Danke für 10.000 Abonnenten! 🙏"),
    "fr": ("Bonjour à tous ! ☀️", "Mise à jour demain, restez connectés.", "Merci pour les 10 000 abonnés ! 🙏"),
    "es": ("¡Buenos días a todos! ☀️", "Mañana hay novedades.", "¡Gracias por los 10.000 suscriptores! 🙏"),
    "ru": ("Всем доброе утро! ☀️", "Завтра будет обновление.", "Спасибо за 10 000 подписчиков! 🙏"),
    "uk": ("Всім доброго ранку! ☀️", "Завтра буде оновлення.", "Дякуємо за 10 000 підписників! 🙏"),
    "ar": ("صباح الخير للجميع ☀️", "تحديث جديد غدًا"),
    "he": ("בוקר טוב לכולם ☀️", "עדכון חדש מחר"),
}

# Short comments from user reports, by queue key and language; the reporter writes in their own language.
USER_COMMENTS: dict[str, Templates] = {
    "scams": {
        "en": ("This is a scam, they took my money", "Fake giveaway"),
        "de": ("Betrug! Bitte prüfen.",),
        "fr": ("Arnaque évidente",),
        "es": ("Es una estafa",),
        "ru": ("Мошенники!",),
        "uk": ("Шахраї!",),
        "it": ("Truffa",),
        "pl": ("Oszustwo",),
    },
    "drugs": {
        "en": ("Selling drugs openly",),
        "de": ("Verkauft offen Drogen",),
        "fr": ("Vente de drogue",),
        "es": ("Venden drogas",),
        "ru": ("Продают наркотики",),
        "uk": ("Продають наркотики",),
    },
    "spam": {
        "en": ("Spam everywhere", "Bot account"),
        "de": ("Nur Werbung",),
        "fr": ("Spam",),
        "es": ("Es spam",),
        "ru": ("Спам",),
        "uk": ("Спам",),
        "nl": ("Spam, graag verwijderen",),
    },
    "hate": {
        "en": ("Hateful post", "Calls to harass people"),
        "de": ("Hetze gegen Nachbarn",),
        "fr": ("Contenu haineux",),
        "es": ("Discurso de odio",),
        "ru": ("Разжигание ненависти",),
        "uk": ("Розпалювання ненависті",),
    },
    "terrorism": {
        "en": ("Recruiting for a violent group",),
        "de": ("Terrorpropaganda",),
        "fr": ("Propagande terroriste",),
        "es": ("Propaganda terrorista",),
        "ru": ("Пропаганда терроризма",),
        "uk": ("Пропаганда тероризму",),
    },
}

CHILD_COMMENT = "[synthetic child-safety test report #{n}]"


def pick(rng: Random, templates: Templates, language: str) -> tuple[str, str]:
    """(template, its language): in the language asked for, else English, else the table's first language."""
    if language not in templates:
        language = "en" if "en" in templates else next(iter(templates))
    return rng.choice(templates[language]), language


def flagged_text(area: Area, topic: str, language: str, rng: Random, fields: dict[str, str]) -> tuple[str, str]:
    """(text, language) of a flagged post."""
    if area is Area.CHILD:
        return f"[synthetic child-safety test item #{fields['n']}]", "en"
    template, language = pick(rng, TOPICS[topic] if area is Area.BENIGN else FLAGGED[area], language)
    return template.format(**fields), language


def filler_text(area: Area, topic: str, language: str, rng: Random, fields: dict[str, str]) -> tuple[str, str]:
    """(text, language) of an ordinary post around the flagged ones."""
    if area is Area.CHILD:
        return f"[synthetic child-safety test post #{fields['n']}]", "en"
    template, language = pick(rng, TOPICS[topic] if area is Area.BENIGN else FILLER, language)
    return template.format(**fields), language


def user_comment(queue_key: str, language: str, rng: Random, n: int) -> str:
    if queue_key == "child_safety":
        return CHILD_COMMENT.format(n=n)
    table = USER_COMMENTS.get(queue_key, USER_COMMENTS["spam"])
    if language not in table and rng.random() < 0.5:
        language = rng.choice(sorted(table))
    return pick(rng, table, language)[0]


def long_text(fields: dict[str, str]) -> str:
    """One very long post (a spam 'terms and conditions' wall, about 9,000 characters) to exercise text layout."""
    paragraph = (
        "§{i}. By reading this post you agree to the promotional terms of {mention}. Rewards are paid in "
        "'bonus credits' that can be withdrawn after 40 qualifying deposits. Visit {link} for the full text. "
        "Participation from all countries, void where prohibited, no purchase necessary (purchase recommended). "
    )
    parts = ["TERMS AND CONDITIONS — PLEASE READ CAREFULLY 📜"]
    parts += [paragraph.format(i=i, **fields) for i in range(1, 31)]
    return "\n\n".join(parts)


DECISION_NOTES: dict[str, tuple[str, ...]] = {
    "no_violation": ("Ordinary content, flag was a mistake.", "Kein Verstoß: normaler Beitrag.", "Sport banter."),
    "remove_post": ("Removed: clear violation, see report.", "Entfernt: eindeutiger Verstoß.", "Supprimé."),
    "label_sensitive": ("Labelled, borderline.",),
    "restrict_post": ("Restricted where illegal under national law.",),
    "escalate": ("Needs a second opinion.", "Escalated: possible legal order attached."),
    "ban_channel": ("Banned: the whole channel exists for this.", "Kanal gesperrt: wiederholte Verstöße."),
    "restrict_channel": ("Channel restricted where illegal under national law.",),
}
