from django.contrib import admin

from market.models import (
    CheckStep,
    Learnware,
    LearnwareVersion,
    Notification,
    ReviewDecision,
    WorldEngineVersion,
)


class CheckStepInline(admin.TabularInline[CheckStep, LearnwareVersion]):
    model = CheckStep
    extra = 0
    readonly_fields = ("position", "name", "status", "message", "duration_s")
    exclude = ("log", "details")


@admin.register(Learnware)
class LearnwareAdmin(admin.ModelAdmin[Learnware]):
    list_display = (
        "id",
        "name",
        "owner",
        "data_type",
        "task_type",
        "live_version",
        "deleted_at",
    )
    list_filter = ("data_type", "task_type", "library_type")
    search_fields = ("name", "owner__email")
    raw_id_fields = ("owner", "live_version")


@admin.register(LearnwareVersion)
class LearnwareVersionAdmin(admin.ModelAdmin[LearnwareVersion]):
    list_display = ("id", "learnware", "number", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("learnware", "uploaded_by", "reviewed_by")
    inlines = (CheckStepInline,)


admin.site.register(ReviewDecision)
admin.site.register(Notification)


@admin.register(WorldEngineVersion)
class WorldEngineVersionAdmin(admin.ModelAdmin[WorldEngineVersion]):
    """Read-mostly: train and activate through the admin API (state changes there)."""

    list_display = ("id", "version", "state", "learnware_count", "created_at")
    list_filter = ("state",)
    readonly_fields = ("version", "state", "engine_file", "metrics", "candidates")
    raw_id_fields = ("triggered_by", "activated_by")
