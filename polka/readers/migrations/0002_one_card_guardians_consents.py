"""Readers become a domain: configurable categories, full birth date, address, guardians,
consents through polka.consents, yearly registrations, record views and erasures."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


CATEGORIES = (
    ("adult", "взрослый"),
    ("child", "ребёнок"),
    ("teen", "подросток"),
    ("student", "учащийся"),
    ("senior", "пенсионер"),
    ("staff", "сотрудник"),
    ("organisation", "организация"),
)


def seed_categories(apps, schema_editor):
    ReaderCategory = apps.get_model("readers", "ReaderCategory")
    for position, (code, name) in enumerate(CATEGORIES):
        ReaderCategory.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    # Any other code already in use keeps working.
    Reader = apps.get_model("readers", "Reader")
    used = set(Reader.objects.values_list("category", flat=True).distinct())
    for code in sorted(used - {c for c, _ in CATEGORIES}):
        ReaderCategory.objects.create(code=code, name=code, position=len(CATEGORIES))


class Migration(migrations.Migration):

    dependencies = [
        ('consents', '0002_channel_and_taken_by'),
        ('org', '0002_calendar_kinds_and_audit'),
        ('readers', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReaderCategory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=20, unique=True, verbose_name='код')),
                ('name', models.CharField(max_length=100, verbose_name='название')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='порядок')),
                ('is_active', models.BooleanField(default=True, verbose_name='используется')),
            ],
            options={
                'verbose_name': 'категория читателей',
                'verbose_name_plural': 'категории читателей',
                'ordering': ['position', 'name'],
            },
        ),
        migrations.RunPython(seed_categories, migrations.RunPython.noop),
        migrations.CreateModel(
            name='ReaderConsent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ],
            options={
                'verbose_name': 'согласие читателя',
                'verbose_name_plural': 'согласия читателей',
            },
        ),
        migrations.CreateModel(
            name='RecordView',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(verbose_name='когда')),
            ],
            options={
                'verbose_name': 'просмотр формуляра',
                'verbose_name_plural': 'просмотры формуляров',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Registration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='год')),
                ('at', models.DateTimeField(verbose_name='когда')),
                ('category', models.CharField(max_length=20, verbose_name='категория')),
                ('is_new', models.BooleanField(default=False, verbose_name='первичная запись')),
            ],
            options={
                'verbose_name': 'регистрация читателя',
                'verbose_name_plural': 'регистрации читателей',
            },
        ),
        migrations.RemoveField(
            model_name='reader',
            name='birth_year',
        ),
        migrations.AddField(
            model_name='reader',
            name='address',
            field=models.TextField(blank=True, verbose_name='адрес'),
        ),
        migrations.AddField(
            model_name='reader',
            name='birth_date',
            field=models.DateField(blank=True, null=True, verbose_name='дата рождения'),
        ),
        migrations.AddField(
            model_name='reader',
            name='erasure_requested_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='запрошено удаление'),
        ),
        migrations.AddField(
            model_name='reader',
            name='keep_history',
            field=models.BooleanField(default=False, verbose_name='хранить историю чтения'),
        ),
        migrations.AddField(
            model_name='reader',
            name='registered_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='кто записал'),
        ),
        migrations.CreateModel(
            name='Erasure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(verbose_name='когда')),
                ('reader_id_erased', models.PositiveBigIntegerField(verbose_name='внутренний номер читателя')),
                ('removed', models.JSONField(default=dict, verbose_name='что удалено')),
                ('on_request', models.BooleanField(default=False, verbose_name='по просьбе читателя')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'удаление данных читателя',
                'verbose_name_plural': 'удаления данных читателей',
            },
        ),
        migrations.CreateModel(
            name='Guardian',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('full_name', models.CharField(blank=True, max_length=300, verbose_name='ФИО')),
                ('phone', models.CharField(blank=True, max_length=50, verbose_name='телефон')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='электронная почта')),
                ('relation', models.CharField(blank=True, max_length=100, verbose_name='кем приходится')),
                ('added_at', models.DateTimeField(verbose_name='записан')),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='guardians', to='readers.reader')),
                ('reader', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='wards', to='readers.reader', verbose_name='читатель-представитель')),
            ],
            options={
                'verbose_name': 'законный представитель',
                'verbose_name_plural': 'законные представители',
            },
        ),
        migrations.AlterField(
            model_name='reader',
            name='category',
            field=models.ForeignKey(db_column='category', on_delete=django.db.models.deletion.PROTECT, related_name='readers', to='readers.readercategory', to_field='code', verbose_name='категория'),
        ),
        migrations.AddIndex(
            model_name='reader',
            index=models.Index(django.db.models.functions.text.Lower('last_name'), models.F('first_name'), name='readers_name'),
        ),
        migrations.AddIndex(
            model_name='reader',
            index=models.Index(fields=['phone'], name='readers_phone'),
        ),
        migrations.AddConstraint(
            model_name='reader',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), condition=models.Q(('email', ''), _negated=True), name='readers_email_unique'),
        ),
        migrations.AddField(
            model_name='readerconsent',
            name='guardian',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='consents', to='readers.guardian'),
        ),
        migrations.AddField(
            model_name='readerconsent',
            name='reader',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consent_links', to='readers.reader'),
        ),
        migrations.AddField(
            model_name='readerconsent',
            name='record',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reader_link', to='consents.consentrecord'),
        ),
        migrations.AddField(
            model_name='recordview',
            name='reader',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='record_views', to='readers.reader'),
        ),
        migrations.AddField(
            model_name='recordview',
            name='viewer',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='registration',
            name='branch',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.branch', verbose_name='библиотека'),
        ),
        migrations.AddField(
            model_name='registration',
            name='by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='registration',
            name='reader',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='registrations', to='readers.reader'),
        ),
        migrations.AddConstraint(
            model_name='guardian',
            constraint=models.CheckConstraint(condition=models.Q(('reader__isnull', False), models.Q(('full_name', ''), _negated=True), _connector='OR'), name='readers_guardian_named'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(condition=models.Q(('reader__isnull', False)), fields=('reader', 'year'), name='readers_registration_once_a_year'),
        ),
    ]
