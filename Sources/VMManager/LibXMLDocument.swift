import CLibXML2
import Foundation

/// A document parsed by libxml2, for `DomainXML`: the tree and just the reads it needs
/// (child elements by name, their text, an attribute). Nothing is fetched (no network, no
/// DTD loading), entities are left unexpanded, libxml2's own limits (depth, entity
/// amplification) stay on, and its messages go to the thrown error, never to stderr.
final class LibXMLDocument {
    private let document: xmlDocPtr
    let root: LibXMLElement

    init(_ bytes: [UInt8]) throws(DomainXML.Failure) {
        Self.initialized()
        guard let context = xmlNewParserCtxt() else { throw .malformed("libxml2 has no memory for a parser") }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlCtxtReadMemory(context, $0, Int32(buffer.count), nil, "UTF-8", options)
                }
            }
        }
        // libxml2 may hand back a tree it recovered from errors: only a well-formed one counts.
        guard let parsed, context.pointee.wellFormed != 0 else {
            if let parsed { xmlFreeDoc(parsed) }
            throw .malformed(Self.lastError(context))
        }
        guard let root = xmlDocGetRootElement(parsed) else {
            xmlFreeDoc(parsed)
            throw .malformed("no root element")
        }
        document = parsed
        self.root = LibXMLElement(node: root, owner: nil)
    }

    deinit { xmlFreeDoc(document) }

    /// libxml2 is thread-safe once initialised; clients parse on their own threads.
    private static let initialization: Void = xmlInitParser()
    private static func initialized() { _ = initialization }

    private static func lastError(_ context: xmlParserCtxtPtr) -> String {
        guard let error = xmlCtxtGetLastError(context) else { return "unreadable" }
        let message = error.pointee.message.map { String(cString: $0) }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unreadable"
        return "\(message) (line \(error.pointee.line), column \(error.pointee.int2))"
    }
}

/// An element of a `LibXMLDocument`; valid while the document lives, so only used inside
/// `DomainXML.parse`, which holds it.
struct LibXMLElement {
    fileprivate let node: xmlNodePtr
    fileprivate let owner: Void?

    /// The local name. Elements in a namespace never match a domain XML's own elements.
    var name: String { node.pointee.ns == nil ? String(cString: node.pointee.name) : "" }

    /// Child elements called `name`, in document order.
    func children(_ name: String) -> [LibXMLElement] {
        var out: [LibXMLElement] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE {
                let element = LibXMLElement(node: current, owner: nil)
                if element.name == name { out.append(element) }
            }
            child = current.pointee.next
        }
        return out
    }

    func child(_ name: String) -> LibXMLElement? { children(name).first }

    /// The element's own text and CDATA (entity references left out: they are not expanded).
    var text: String { Self.text(of: node.pointee.children) }

    /// The attribute's text, nil when absent.
    func attribute(_ name: String) -> String? {
        var attribute = node.pointee.properties
        while let current = attribute {
            if current.pointee.ns == nil && String(cString: current.pointee.name) == name {
                return Self.text(of: current.pointee.children)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    private static func text(of first: xmlNodePtr?) -> String {
        var out = ""
        var node = first
        while let current = node {
            if current.pointee.type == XML_TEXT_NODE || current.pointee.type == XML_CDATA_SECTION_NODE,
               let content = current.pointee.content {
                out += String(cString: content)
            }
            node = current.pointee.next
        }
        return out
    }
}
