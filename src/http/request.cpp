#include "qujat/http/request.h"

#include "qujat/common/error.h"

namespace qujat::http {

std::optional<std::string_view> Request::query(std::string_view name) const {
  for (const auto& [n, v] : query_items)
    if (n == name) return std::string_view(v);
  return std::nullopt;
}

const std::string& Request::param(std::string_view name) const {
  for (const auto& [n, v] : params)
    if (n == name) return v;
  throw Error("http.no_param", "route " + route + " has no parameter {" + std::string(name) + "}");
}

}  // namespace qujat::http
