package jarvis.shell.internal;

import java.util.List;

import jarvis.api.feature.Feature;
import jarvis.api.feature.FeatureException;
import jarvis.api.feature.FeatureService;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code feature:list}, {@code feature:install NAME}, {@code feature:uninstall NAME}. */
@Component(service = FeatureCommands.class, property = {
        "osgi.command.scope=feature",
        "osgi.command.function=list",
        "osgi.command.function=install",
        "osgi.command.function=uninstall"})
public final class FeatureCommands {

    private final FeatureService features;

    @Activate
    public FeatureCommands(@Reference FeatureService features) {
        this.features = features;
    }

    @Descriptor("lists the features the distribution carries")
    public String list() {
        return table(features.features());
    }

    @Descriptor("installs and starts a feature's bundles from the distribution")
    public String install(@Descriptor("feature name") String name) throws FeatureException {
        Feature f = features.install(name);
        return "feature " + f.name() + " installed (" + f.bundles().size() + " bundles)";
    }

    @Descriptor("stops and removes a feature's bundles")
    public String uninstall(@Descriptor("feature name") String name) throws FeatureException {
        Feature f = features.uninstall(name);
        return "feature " + f.name() + " uninstalled";
    }

    static String table(List<Feature> list) {
        return Table.render(List.of("NAME", "STATE", "KIND", "BUNDLES"), list.stream()
                .map(f -> new String[] {f.name(), f.installed() ? "installed" : "available",
                        f.required() ? "required" : "optional", Integer.toString(f.bundles().size())})
                .toList());
    }
}
