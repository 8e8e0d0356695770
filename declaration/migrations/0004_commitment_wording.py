"""The DFI's commitment texts say what the source paraphrase says and no more: the first seed
added words (“necessary, proportionate”, “environmental”, ...) and changed others. A database
seeded before gets the new wording wherever a text is still the old one; a text an editor has
changed stays as it is."""

from django.db import migrations

# Commitment number: (the first seed's wording, the wording that follows the source).
WORDING = {
    1: (
        "Respect human rights online as offline, with any restriction lawful, necessary, proportionate, overseen and transparent, and encourage other governments to do the same.",
        "Respect human rights online and offline (rule of law, legitimate purpose, non-arbitrariness, oversight, transparency), and urge other governments to do the same.",
    ),
    2: (
        "Make the Internet safer, and fight online violence, including gender-based violence and the sexual exploitation of children.",
        "Promote online safety, and fight online violence, including gender-based violence and child sexual exploitation.",
    ),
    3: (
        "Let everyone use the Internet safely and on equal terms, without discrimination.",
        "Safe and equitable use of the Internet for everyone, without discrimination.",
    ),
    4: (
        "Tackle illegal and harmful content in ways that respect international human-rights law, including freedom of expression.",
        "Action against illegal or harmful content respects international human-rights law, including freedom of expression.",
    ),
    5: (
        "Give people effective remedies when their rights are abused in the digital world.",
        "Effective remedies for rights abuses in the digital context.",
    ),
    6: (
        "Never use the Internet or algorithms for unlawful surveillance, repression or social scoring.",
        "Do not misuse the Internet or algorithmic tools for unlawful surveillance, repression or social scoring.",
    ),
    7: (
        "Do not shut down the Internet or degrade access to it at home.",
        "Do not impose Internet shutdowns or degrade domestic access.",
    ),
    8: (
        "Do not block or degrade lawful content and services, within the limits of the law (net neutrality).",
        "Do not block or degrade lawful content and services (net neutrality, subject to law).",
    ),
    9: (
        "Work towards the free flow of data with trust.",
        "Pursue “data free flows with trust”.",
    ),
    11: (
        "Bring affordable, inclusive and reliable access to everyone, and close the digital divides.",
        "Affordable, inclusive and reliable access; close digital divides.",
    ),
    12: (
        "Help people gain digital literacy and skills.",
        "Digital literacy and skills.",
    ),
    13: (
        "Support diverse, multilingual content and news, and resilience to disinformation.",
        "Diverse, multilingual content and news; resilience to disinformation.",
    ),
    15: (
        "Ground government access to personal data in law, with respect for human rights.",
        "Government access to personal data rests on law and respects human rights.",
    ),
    18: (
        "Rely on trustworthy network infrastructure and suppliers, chosen by assessing risk.",
        "Use trustworthy network infrastructure and suppliers, chosen on risk assessment.",
    ),
    19: (
        "Do not use the Internet to undermine elections or other political processes.",
        "Do not use the Internet to undermine elections or political processes.",
    ),
    20: (
        "Build a rules-based global digital economy with fair and contestable platform markets.",
        "A rules-based global digital economy with fair, contestable platform markets.",
    ),
    21: (
        "Use digital technology against climate change and reduce the Internet's own environmental footprint.",
        "Use technology against climate change, and shrink the Internet's own footprint.",
    ),
    22: (
        "Protect and strengthen the multistakeholder system of Internet governance, including the development of protocols and standards.",
        "Protect and strengthen the multistakeholder system, including protocol and standards work.",
    ),
}


def reword(apps, schema_editor):
    Commitment = apps.get_model("declaration", "Commitment")
    for number, (old, new) in WORDING.items():
        Commitment.objects.filter(pillar__declaration__slug="dfi", number=number, text=old).update(
            text=new
        )


class Migration(migrations.Migration):
    dependencies = [
        ("declaration", "0003_basis"),
    ]

    operations = [
        migrations.RunPython(reword, migrations.RunPython.noop),
    ]
