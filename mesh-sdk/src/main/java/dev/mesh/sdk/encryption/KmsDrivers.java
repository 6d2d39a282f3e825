package dev.mesh.sdk.encryption;

import java.security.GeneralSecurityException;
import java.util.ServiceLoader;

/** The KMS drivers on the class path (the local KMS always). */
public final class KmsDrivers {
    private KmsDrivers() {
    }

    public static KmsDriver of(String kmsType) throws GeneralSecurityException {
        if (LocalKms.TYPE.equals(kmsType)) {
            return new LocalKms();
        }
        for (KmsDriver driver : ServiceLoader.load(KmsDriver.class)) {
            if (driver.kmsType().equals(kmsType)) {
                return driver;
            }
        }
        throw new GeneralSecurityException("no KMS driver for kmsType '" + kmsType + "' on the class path");
    }
}
