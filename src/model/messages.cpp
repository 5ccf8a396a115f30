#include "qujat/model/check.h"

namespace qujat::model {

const MessageCatalogue& check_messages() { return MessageCatalogue::standard("check"); }

nlohmann::json CheckReport::to_json() const {
  nlohmann::json problems_json = nlohmann::json::array();
  for (const auto& p : problems) {
    problems_json.push_back({{"path", p.path},
                             {"code", p.code},
                             {"params", p.params},
                             {"message", p.message.to_json()}});
  }
  nlohmann::json out = {{"valid", ok()}, {"problems", std::move(problems_json)}};
  out["kind"] = kind ? nlohmann::json(std::string(kind_name(*kind))) : nlohmann::json(nullptr);
  return out;
}

bool CheckReport::mentions(std::string_view path) const {
  for (const auto& p : problems) {
    if (p.path == path) return true;
    if (p.path.size() > path.size() && p.path.compare(0, path.size(), path) == 0 && p.path[path.size()] == '/')
      return true;
  }
  return false;
}

}  // namespace qujat::model
