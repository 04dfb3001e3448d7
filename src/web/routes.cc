#include "web/routes.h"

#include "web/admin_page.h"
#include "web/api_context.h"
#include "web/api_routes.h"
#include "web/auth_routes.h"
#include "web/dashboard.h"
#include "web/import_page.h"
#include "web/metrics.h"
#include "web/job_sheet_routes.h"
#include "web/jobs_routes.h"
#include "web/order_pages.h"
#include "web/review_page.h"
#include "web/services_page.h"
#include "web/settings_page.h"
#include "web/static_routes.h"
#include "web/submit_routes.h"

namespace imeiflow::web {

void RegisterRoutes(Router& server, WebContext& web) {
  RegisterStaticRoutes(server);
  RegisterAuthRoutes(server, web);
  RegisterDashboardRoutes(server, web);
  const ApiContext api = ApiContextFor(web);
  RegisterApiRoutes(server, api);
  RegisterMetricsRoutes(server, api);
  RegisterSubmitRoutes(server, web);
  RegisterJobsRoutes(server, web);
  RegisterJobSheetRoutes(server, web);
  RegisterOrderPages(server, web);
  RegisterServicesPage(server, web);
  RegisterImportPage(server, web);
  RegisterReviewPage(server, web);
  RegisterAdminPage(server, web);
  RegisterSettingsPage(server, web);
}

}  // namespace imeiflow::web
