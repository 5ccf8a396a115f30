// Why the procedure did not do what was asked: a stable code, the values its
// wording names, the wording in Kazakh, Russian and English from
// templates/messages/procedure.json (worded once; the English text of the
// exception is the catalogue's), the kind of refusal (which the HTTP service
// maps to a status) and, where it helps, the actions that are allowed or the
// problems of each field.
#pragma once

#include <string>
#include <vector>

#include "qujat/common/error.h"
#include "qujat/i18n/messages.h"
#include "qujat/model/check.h"

namespace qujat::workflow {

class ProcedureError : public Error {
 public:
  enum class Kind {
    invalid,      // the request or its data is wrong (HTTP 422)
    signature,    // the signature or signer is not acceptable (HTTP 422)
    not_found,    // no such application/document, or not the caller's (HTTP 404)
    not_allowed,  // the state does not allow the action (HTTP 409, with `allowed`)
    forbidden,    // the caller's role may not do this (HTTP 403)
  };

  ProcedureError(Kind kind, std::string code, Params params = {}, std::vector<std::string> allowed = {},
                 std::vector<model::Problem> problems = {});

  Kind kind() const noexcept { return kind_; }
  const Params& params() const noexcept { return params_; }
  const i18n::Message& message() const noexcept { return message_; }
  const std::vector<std::string>& allowed() const noexcept { return allowed_; }
  const std::vector<model::Problem>& problems() const noexcept { return problems_; }

 private:
  Kind kind_;
  Params params_;
  i18n::Message message_;
  std::vector<std::string> allowed_;
  std::vector<model::Problem> problems_;
};

// templates/messages/procedure.json, loaded once.
const i18n::MessageCatalogue& procedure_messages();

}  // namespace qujat::workflow
