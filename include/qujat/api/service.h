// The HTTP service's routes (API.md, docs/openapi.yaml) on the workflow:
// EDS login, the applicant's cabinet, the officer desk, public verification,
// health and metrics. Each route is declared with who may call it; the
// declaration is enforced before the handler runs (no token, a forged or an
// expired one: 401; a known user of another role: 403) and can be listed,
// so a test holds every route of the server to its rule. Handlers are thin:
// they read the request, call Intake / Procedure / verification, and shape
// the answer; a ProcedureError becomes its status (API.md "Conventions").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "qujat/api/login.h"
#include "qujat/http/metrics.h"
#include "qujat/http/router.h"
#include "qujat/workflow/office_runtime.h"

namespace qujat::api {

// Who may call a route.
enum class Access {
  open,       // anyone, no token (login, public verification, health)
  signed_in,  // any valid token; the workflow decides what is theirs (404 otherwise)
  applicant,  // a token with the "applicant" role
  officer,    // a token of an [officers] IIN
};
std::string_view name(Access access);

struct RouteSpec {
  std::string method;
  std::string pattern;
  Access access;
};

struct ServiceOptions {
  // Largest body of POST /api/v1/verify (a signed PDF).
  std::size_t max_verify_bytes = 32u << 20;
};

class Service {
 public:
  // `metrics` must outlive the service; the service registers documents
  // issued per kind, verification results and the outbox depth in it.
  Service(workflow::OfficeRuntime& runtime, const EdsLogin& login, http::MetricsRegistry& metrics,
          ServiceOptions options = {});
  ~Service();

  // Every route, each behind its access rule.
  http::Router router() const;
  // The routes and their rules, in registration order (the router's order).
  std::vector<RouteSpec> routes() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace qujat::api
