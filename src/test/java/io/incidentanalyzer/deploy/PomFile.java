package io.incidentanalyzer.deploy;

import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Reads the project's pom.xml, for tests that check deployment files against the build. */
final class PomFile {
    private static final Path POM =
            Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("pom.xml");

    private PomFile() {}

    /** A direct child of {@code <project>}, so the parent's or a dependency's value never wins. */
    static String value(String tag) throws Exception {
        return child(project(), tag);
    }

    /** A property of {@code <project><properties>}. */
    static String property(String name) throws Exception {
        NodeList properties = project().getElementsByTagName("properties");
        for (int i = 0; i < properties.getLength(); i++) {
            if (properties.item(i).getParentNode().getNodeName().equals("project")) {
                return child((Element) properties.item(i), name);
            }
        }
        throw new AssertionError("pom.xml has no <project><properties>");
    }

    private static Element project() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return factory.newDocumentBuilder().parse(POM.toFile()).getDocumentElement();
    }

    private static String child(Element parent, String tag) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node child = children.item(i);
            if (child.getNodeType() == Node.ELEMENT_NODE && tag.equals(child.getNodeName())) {
                return child.getTextContent().trim();
            }
        }
        throw new AssertionError("pom.xml has no <" + parent.getNodeName() + "><" + tag + ">");
    }
}
