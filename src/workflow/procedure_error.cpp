#include "qujat/workflow/procedure_error.h"

namespace qujat::workflow {
namespace {

i18n::Message word(const std::string& code, const Params& params) {
  return procedure_messages().render(code, params);
}

}  // namespace

const i18n::MessageCatalogue& procedure_messages() { return i18n::MessageCatalogue::standard("procedure"); }

ProcedureError::ProcedureError(Kind kind, std::string code, Params params, std::vector<std::string> allowed,
                               std::vector<model::Problem> problems)
    : Error(code, word(code, params).en, {}, Finding{code, params}),
      kind_(kind),
      params_(std::move(params)),
      message_(word(this->code(), params_)),
      allowed_(std::move(allowed)),
      problems_(std::move(problems)) {}

}  // namespace qujat::workflow
