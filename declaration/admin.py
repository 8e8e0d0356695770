from django.contrib import admin

from .models import Commitment, Declaration, Forum, Pillar


class PillarInline(admin.TabularInline):
    model = Pillar
    extra = 0


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "title", "launched_on"]
    search_fields = ["title", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["forums"]
    date_hierarchy = "launched_on"
    inlines = [PillarInline]


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "title_basis", "declaration"]
    list_display_links = ["title"]
    list_filter = ["declaration", "title_basis"]
    search_fields = ["title"]
    inlines = [CommitmentInline]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "text_basis", "pillar"]
    list_display_links = ["text"]
    list_filter = ["pillar__declaration", "text_basis", "pillar"]
    search_fields = ["text"]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "kind", "has_member_list", "website"]
    list_filter = ["kind", "has_member_list"]
    search_fields = ["name", "acronym", "slug"]
    prepopulated_fields = {"slug": ["acronym"]}
