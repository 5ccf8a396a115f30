#include "qujat/xml/schema.h"

#include <libxml/xmlschemas.h>

#include "qujat/common/error.h"
#include "xml/libxml.h"

namespace qujat::xml {

namespace {
void collect(void* user, xmlErrorPtr error) {
  auto& out = *static_cast<std::vector<std::string>*>(user);
  if (error == nullptr || out.size() >= 50) return;
  std::string m = error->message != nullptr ? error->message : "error";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  out.push_back("line " + std::to_string(error->line) + ": " + m);
}
}  // namespace

struct Schema::Impl {
  UniquePtr<xmlSchema, xmlSchemaFree> schema;
};

Schema::Schema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Schema::~Schema() = default;
Schema::Schema(Schema&&) noexcept = default;
Schema& Schema::operator=(Schema&&) noexcept = default;

Schema Schema::from_file(const std::string& path) {
  ensure_libxml();
  std::vector<std::string> messages;
  auto parser = make_unique_ptr<xmlSchemaFreeParserCtxt>(xmlSchemaNewParserCtxt(path.c_str()));
  if (!parser) throw Error("xml.schema", "cannot read the schema " + path);
  xmlSchemaSetParserStructuredErrors(parser.get(), collect, &messages);
  auto impl = std::make_unique<Impl>();
  impl->schema.reset(xmlSchemaParse(parser.get()));
  if (!impl->schema) throw Error("xml.schema", "the schema " + path + " is not valid", messages);
  return Schema(std::move(impl));
}

std::vector<std::string> Schema::validate(const Document& doc) const {
  std::vector<std::string> messages;
  auto ctxt = make_unique_ptr<xmlSchemaFreeValidCtxt>(xmlSchemaNewValidCtxt(impl_->schema.get()));
  if (!ctxt) throw Error("xml.schema", "cannot create a schema validation context");
  xmlSchemaSetValidStructuredErrors(ctxt.get(), collect, &messages);
  int rc = xmlSchemaValidateDoc(ctxt.get(), doc.native());
  if (rc != 0 && messages.empty()) messages.push_back("the document does not match the schema");
  return messages;
}

}  // namespace qujat::xml
