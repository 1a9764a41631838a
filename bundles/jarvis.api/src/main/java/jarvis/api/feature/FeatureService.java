package jarvis.api.feature;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Lists, installs and uninstalls the features of the running daemon. Bundles come from the
 * distribution's own folders, never from the network. The installed set survives restarts.
 */
@ProviderType
public interface FeatureService {

    /** Every feature the distribution carries, sorted by name. */
    List<Feature> features();

    /**
     * Installs and starts a feature's bundles; installing an installed feature changes nothing.
     *
     * @return the feature as it now is
     * @throws FeatureException if there is no such feature or a bundle fails to install or start
     *                          (bundles installed by the failed attempt are removed again)
     */
    Feature install(String name) throws FeatureException;

    /**
     * Stops and uninstalls a feature's bundles (those no other installed feature also names).
     *
     * @throws FeatureException if there is no such feature or it is required
     */
    Feature uninstall(String name) throws FeatureException;
}
