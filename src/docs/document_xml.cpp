#include "docs/document_xml.h"

#include <algorithm>

#include "docs/form_builder.h"
#include "qujat/common/error.h"
#include "qujat/i18n/locale_format.h"

namespace qujat::docs {
namespace {

using nlohmann::json;

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
const xmlChar* X(const std::string& s) { return X(s.c_str()); }

bool is_bilingual(const json& v) {
  if (!v.is_object() || v.empty()) return false;
  for (const auto& [k, x] : v.items())
    if ((k != "kk" && k != "ru") || !x.is_string()) return false;
  return true;
}

// Keys whose string value is an ISO code that gets its names alongside.
enum class CodeKind { None, Country, Currency };
CodeKind code_kind(const std::string& key) {
  if (key == "currency") return CodeKind::Currency;
  if (key == "country" || key.ends_with("_country") || key == "country_of_origin") return CodeKind::Country;
  return CodeKind::None;
}

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

class XmlWriter {
 public:
  XmlWriter(const i18n::TemplateRoot& templates, const json& application, xmlNs* ns)
      : templates_(templates), application_(application), ns_(ns) {}

  void value(xmlNode* parent, const std::string& key, const json& v, const std::string& parent_key) {
    if (v.is_null()) return;
    if (is_bilingual(v)) {
      bilingual(xmlNewChild(parent, ns_, X(key), nullptr), v);
      return;
    }
    if (v.is_object()) {
      xmlNode* el = xmlNewChild(parent, ns_, X(key), nullptr);
      for (const auto& [k, x] : v.items()) value(el, k, x, key);
      // A refusal ground cites the catalogue's legal text in both languages.
      if (parent_key == "grounds" && v.contains("code") && v["code"].is_number_integer()) {
        std::string service = application_.value("service", std::string{});
        const json& entry = refusal_ground(templates_, service, v["code"].get<long>());
        bilingual(xmlNewChild(el, ns_, X("legal_text"), nullptr), entry);
      }
      return;
    }
    if (v.is_array()) {
      xmlNode* el = xmlNewChild(parent, ns_, X(key), nullptr);
      for (const auto& x : v) value(el, "item", x, key);
      return;
    }
    xmlNode* el = xmlNewTextChild(parent, ns_, X(key), X(scalar_text(v)));
    if (v.is_string()) {
      auto kind = code_kind(key);
      if (kind != CodeKind::None) {
        auto code = v.get<std::string>();
        for (const char* lang : {"kk", "ru"}) {
          auto name = kind == CodeKind::Country ? i18n::country_name(code, lang) : i18n::currency_name(code, lang);
          xmlNewProp(el, X(std::string("name-") + lang), X(name));
        }
      }
    }
  }

  void bilingual(xmlNode* el, const json& v) {
    for (const char* lang : {"kk", "ru"}) {
      if (!v.contains(lang) || !v[lang].is_string()) continue;
      xmlNode* t = xmlNewTextChild(el, ns_, X("text"), X(v[lang].get<std::string>()));
      xmlNodeSetLang(t, X(lang));
    }
  }

 private:
  const i18n::TemplateRoot& templates_;
  const json& application_;
  xmlNs* ns_;
};

void collect_error(void* user, const xmlError* error) {
  auto* out = static_cast<std::vector<std::string>*>(user);
  std::string msg = error->message != nullptr ? error->message : "schema error";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  out->push_back("line " + std::to_string(error->line) + ": " + msg);
}

// libxml2 2.9's structured error callback takes a non-const xmlError*.
void collect_error_nc(void* user, xmlError* error) { collect_error(user, error); }

}  // namespace

XmlDocPtr write_document_xml(const i18n::TemplateRoot& templates, const nlohmann::json& application,
                             const DocumentMeta& meta) {
  XmlDocPtr doc(xmlNewDoc(X("1.0")));
  xmlNode* root = xmlNewDocNode(doc.get(), nullptr, X(meta.kind), nullptr);
  xmlDocSetRootElement(doc.get(), root);
  xmlNs* ns = xmlNewNs(root, X(DocumentEngine::xml_namespace(meta.kind)), nullptr);
  xmlSetNs(root, ns);

  xmlNode* m = xmlNewChild(root, ns, X("meta"), nullptr);
  xmlNewTextChild(m, ns, X("kind"), X(meta.kind));
  xmlNewTextChild(m, ns, X("number"), X(meta.number));
  xmlNewTextChild(m, ns, X("issue_date"), X(format_date(meta.issue_date)));
  std::string langs;
  for (const auto& l : meta.languages) langs += (langs.empty() ? "" : " ") + l;
  xmlNewTextChild(m, ns, X("languages"), X(langs));

  xmlNode* content = xmlNewChild(root, ns, X("content"), nullptr);
  XmlWriter writer(templates, application, ns);
  for (const auto& [key, v] : application.items()) writer.value(content, key, v, "");
  return doc;
}

std::string serialize(xmlDoc* doc) {
  xmlChar* raw = nullptr;
  int size = 0;
  xmlDocDumpFormatMemoryEnc(doc, &raw, &size, "UTF-8", 1);
  const xml::XmlString mem(raw);
  if (!mem) throw Error("docs.xml", "cannot serialise the document XML");
  std::string out(reinterpret_cast<const char*>(mem.get()), static_cast<std::size_t>(size));
  return out;
}

SchemaSet::~SchemaSet() {
  for (auto& [kind, schema] : schemas_) xmlSchemaFree(schema);
}

xmlSchema* SchemaSet::schema(const std::string& kind) {
  std::lock_guard lock(mutex_);
  if (auto it = schemas_.find(kind); it != schemas_.end()) return it->second;
  auto path = (dir_ / (kind + ".xsd")).string();
  std::vector<std::string> problems;
  UniquePtr<xmlSchemaParserCtxt, xmlSchemaFreeParserCtxt> parser(xmlSchemaNewParserCtxt(path.c_str()));
  if (!parser) throw Error("docs.schema", "cannot read XSD " + path);
  xmlSchemaSetParserStructuredErrors(parser.get(), collect_error_nc, &problems);
  xmlSchema* schema = xmlSchemaParse(parser.get());
  if (schema == nullptr) throw Error("docs.schema", "cannot load XSD " + path, problems);
  schemas_.emplace(kind, schema);
  return schema;
}

std::vector<std::string> SchemaSet::validate(const std::string& kind, xmlDoc* doc) {
  xmlSchema* s = schema(kind);
  std::vector<std::string> problems;
  UniquePtr<xmlSchemaValidCtxt, xmlSchemaFreeValidCtxt> ctxt(xmlSchemaNewValidCtxt(s));
  xmlSchemaSetValidStructuredErrors(ctxt.get(), collect_error_nc, &problems);
  int rc = xmlSchemaValidateDoc(ctxt.get(), doc);
  if (rc != 0 && problems.empty()) problems.push_back("document does not match " + kind + ".xsd");
  return problems;
}

}  // namespace qujat::docs
