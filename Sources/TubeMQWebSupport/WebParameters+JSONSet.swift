/// JSON-set parameters (`brokerJsonSet`, `topicJsonSet`, …) of the batch methods (admin-api.md §4
/// rule 7): an array of flat objects, each read like a request of its own.
extension WebParameters {
    /// The items of a JSON-set parameter, each as parameters: the item's keys (values turned into
    /// text) over the outer request's, so the outer values serve as defaults. The value is
    /// URL-decoded once more before it is parsed. Keys named in `structured` (JSON parameters such
    /// as `flowCtrlInfo`) may hold an array or object, kept as its JSON text.
    ///
    /// - Throws: ``WebParameterError`` when the parameter is absent, is not a JSON array of flat
    ///   objects, is empty, or has more than ``maxListItems`` items.
    package func jsonSet(
        _ field: WebField,
        structured: Set<String> = []
    ) throws(WebParameterError) -> [WebParameters] {
        guard let raw = value(field) else { throw .missing(field) }
        let text = FormDecoding.decode(Substring(raw))
        let parsed: JSON
        do throws(JSONParseError) {
            parsed = try JSON.parse(text)
        } catch {
            // Say what is wrong with the text (nested too deep, cut off, …), not only what it must be.
            throw WebParameterError("Parameter \(field.long) must be a JSON array of objects: \(error.message)!")
        }
        guard let items = parsed.items else {
            throw WebParameterError("Parameter \(field.long) must be a JSON array of objects!")
        }
        guard !items.isEmpty else { throw .missing(field) }
        guard items.count <= Self.maxListItems else {
            throw WebParameterError(
                "Parameter \(field.long)'s item count over max allowed count (\(Self.maxListItems))!"
            )
        }
        var out: [WebParameters] = []
        for item in items {
            guard let object = item.object else {
                throw WebParameterError("Parameter \(field.long) must be a JSON array of objects!")
            }
            var merged = values
            for entry in object.fields {
                switch entry.value {
                case .string(let text): merged[entry.key] = text
                case .number(let number): merged[entry.key] = String(number)
                case .bool(let flag): merged[entry.key] = flag ? "true" : "false"
                case .array where structured.contains(entry.key), .object where structured.contains(entry.key):
                    merged[entry.key] = entry.value.text
                case .array, .object:
                    throw WebParameterError("Parameter \(field.long)'s item \(entry.key) must be a plain value!")
                }
            }
            out.append(WebParameters(merged))
        }
        return out
    }
}
