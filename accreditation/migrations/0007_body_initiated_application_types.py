# The application types the accreditation body opens itself: surveillance and special assessments.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accreditation", "0006_decisions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="type",
            field=models.CharField(
                choices=[
                    ("initial", "Initial accreditation"),
                    ("extension", "Scope extension"),
                    ("reduction", "Scope reduction"),
                    ("renewal", "Reassessment (renewal)"),
                    ("change", "Change notification"),
                    ("surveillance", "Surveillance"),
                    ("special", "Special assessment"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
    ]
