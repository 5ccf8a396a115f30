// The vocabulary of documents an applicant attaches (the `type` of an
// attachment and of a listed missing or expired document): one list shared
// by `qujat check` and the completeness check of the qualification
// requirements (templates/requirements/, docs/requirements.md), so a type the
// tables ask for is always one an application can name.
#pragma once

#include <span>
#include <string_view>

namespace qujat::model {

// Every document type, in the order of schemas/application.schema.json
// (`$defs/document_type`). Their kk/ru names are templates/common.json
// `attachment_types`.
std::span<const std::string_view> document_types() noexcept;
bool is_document_type(std::string_view type) noexcept;

}  // namespace qujat::model
