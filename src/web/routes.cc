#include "web/routes.h"

#include "web/auth_routes.h"
#include "web/dashboard.h"
#include "web/jobs_routes.h"
#include "web/static_routes.h"
#include "web/submit_routes.h"

namespace imeiflow::web {

void RegisterRoutes(httplib::Server& server, WebContext& web) {
  RegisterStaticRoutes(server);
  RegisterAuthRoutes(server, web);
  RegisterDashboardRoutes(server, web);
  RegisterSubmitRoutes(server, web);
  RegisterJobsRoutes(server, web);
}

}  // namespace imeiflow::web
