#include "web/routes.h"

#include "web/admin_page.h"
#include "web/auth_routes.h"
#include "web/dashboard.h"
#include "web/import_page.h"
#include "web/order_pages.h"
#include "web/review_page.h"
#include "web/services_page.h"
#include "web/static_routes.h"

namespace imeiflow::web {

void RegisterRoutes(httplib::Server& server, WebContext& web) {
  RegisterStaticRoutes(server);
  RegisterAuthRoutes(server, web);
  RegisterDashboardRoutes(server, web);
  RegisterOrderPages(server, web);
  RegisterServicesPage(server, web);
  RegisterImportPage(server, web);
  RegisterReviewPage(server, web);
  RegisterAdminPage(server, web);
}

}  // namespace imeiflow::web
