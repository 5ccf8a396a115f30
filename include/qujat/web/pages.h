// The web pages of `qujat serve` (issue 13): EDS login through NCALayer,
// the applicant's cabinet (applications, history, documents, a new signed
// application) and the officer desk (queue, application, actions), in
// Kazakh and Russian, server-rendered from templates/web/. The pages call
// the use cases of workflow/ (Intake, Procedure) and reuse the service's
// login: the session cookie holds the service's token and `SessionCheck`
// is the service's own check of it. docs/web.md describes every page,
// cookie and header.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "qujat/docs/document_engine.h"
#include "qujat/http/router.h"
#include "qujat/web/page_templates.h"
#include "qujat/workflow/actor.h"
#include "qujat/workflow/office.h"

namespace qujat::web {

struct PageSettings {
  // Where the page's script finds NCALayer ([web] ncalayer_url); tests point
  // it at the stand-in (ws:// on loopback). It is also the Content-Security-
  // Policy's only connect-src besides 'self'.
  std::string ncalayer_url = "wss://127.0.0.1:13579/";
  bool tls = false;                          // cookies get Secure
  long session_seconds = 1800;               // the session cookie's Max-Age: the token's lifetime
  std::size_t max_upload_bytes = 16u << 20;  // a new application with its files, base64
};

// The service's check of a login token: who holds it, or nullopt when it is
// forged, expired or unknown.
using SessionCheck = std::function<std::optional<workflow::Actor>(const std::string& token)>;

struct PageServices {
  const workflow::LicensingOffice& office;
  const docs::DocumentEngine& engine;
  const PageTemplates& templates;
  SessionCheck session_check;
  PageSettings settings;
};

// Adds the pages' routes (docs/web.md lists them) to `router`. `services`
// must outlive the router.
void add_pages(http::Router& router, const PageServices& services);

// The Content-Security-Policy every page is sent with.
std::string content_security_policy(const PageSettings& settings);

}  // namespace qujat::web
