from django.urls import path

from . import export_views

app_name = "reports_exports"

urlpatterns = [
    path("", export_views.exports_view, name="index"),
    path("<int:pk>/download/", export_views.export_download_view, name="download"),
    path("statements/<int:market_id>/", export_views.statements_view, name="statements"),
    path("statements/vendor/<int:participation_id>/", export_views.vendor_statement_view,
         name="vendor_statement"),
    path("statements/<int:market_id>/project/<int:project_id>/",
         export_views.project_statement_view, name="project_statement"),
]
