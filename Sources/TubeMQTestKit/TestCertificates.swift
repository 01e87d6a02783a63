/// A test certificate authority, a second one nobody trusts, and a server certificate for
/// `localhost` / 127.0.0.1 signed by the first, with its key (PEM; EC P-256, valid until 2126).
public enum TestCertificates {
    public static let caPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBijCCAS+gAwIBAgIUGFK6xYM0sFoaxScjlcQVXW8J+gQwCgYIKoZIzj0EAwIw
        GTEXMBUGA1UEAwwOdHViZW1xLXRlc3QtY2EwIBcNMjYxMjA0MjIyODA5WhgPMjEy
        NjExMTAyMjI4MDlaMBkxFzAVBgNVBAMMDnR1YmVtcS10ZXN0LWNhMFkwEwYHKoZI
        zj0CAQYIKoZIzj0DAQcDQgAEecJWAY+bYd5U9KF/38xhvnzy4MRuIXI6ek7xPhQP
        cCRDqipZ3JsLW7hubssia5xEissBoeoc29gz9GfI+n41y6NTMFEwHQYDVR0OBBYE
        FA9EN0VVECg7g63QGscPLaAgFj/HMB8GA1UdIwQYMBaAFA9EN0VVECg7g63QGscP
        LaAgFj/HMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAKSpatuR
        53yf4KYahwdGD3j6/lEQY2EhOnth6RjA+D3GAiEAjYMkY8KIrZZAbJ0xij8hkN2C
        aUonKK6hXbofZiXAZU8=
        -----END CERTIFICATE-----
        """
    public static let otherCAPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBfTCCASOgAwIBAgIUE2EG2uYOVgu8Wp70fV9sReVSwJswCgYIKoZIzj0EAwIw
        EzERMA8GA1UEAwwIb3RoZXItY2EwIBcNMjYxMjA0MjIyODA5WhgPMjEyNjExMTAy
        MjI4MDlaMBMxETAPBgNVBAMMCG90aGVyLWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0D
        AQcDQgAElAqzINoM2QmAPyOrhL/3jBtcLU/OCoPD8h68yFdwBsL5Yt/6XSCkTJVN
        eXVDj4nme9wgcR/AUytqO69Iw/vGVKNTMFEwHQYDVR0OBBYEFMYsocPA8n2enfw0
        V3jkpzOzC4czMB8GA1UdIwQYMBaAFMYsocPA8n2enfw0V3jkpzOzC4czMA8GA1Ud
        EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgF95yamCrHBQhrXBPHW+lXH+5
        lm8s/xVuSbx4UfGc0ukCIQDEgN+grivX0cLWSSddYIH8NJqBi0Gvl7qzzADSwNZk
        jw==
        -----END CERTIFICATE-----
        """
    public static let serverPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBjzCCATWgAwIBAgIUaTs2alrueykwyXDoc2nFSWSxN7swCgYIKoZIzj0EAwIw
        GTEXMBUGA1UEAwwOdHViZW1xLXRlc3QtY2EwIBcNMjYxMjA0MjIyODA5WhgPMjEy
        NjExMTAyMjI4MDlaMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDBZMBMGByqGSM49AgEG
        CCqGSM49AwEHA0IABChtTtZ2mrEC0bQMTiVf+UTYjwDshZ1/C0ZgphvTP2kQ/E1D
        K2Wuz624FVaAiuqAPTpXY12T3YE19uXe5HmyYwijXjBcMBoGA1UdEQQTMBGHBH8A
        AAGCCWxvY2FsaG9zdDAdBgNVHQ4EFgQUXpuQfMFUB8HqiRYjD/Q7foPd3fwwHwYD
        VR0jBBgwFoAUD0Q3RVUQKDuDrdAaxw8toCAWP8cwCgYIKoZIzj0EAwIDSAAwRQIg
        SE/hxBmcKlh1bC7hiKAf0IP//7h6T560zB8LmsSSNAoCIQCP3fmg9TmcdmCeTFiA
        y8OiPS2DRvC7mUwg6DauaXZw0w==
        -----END CERTIFICATE-----
        """
    public static let serverKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgl9CUyg1Mu38p4I5l
        L1w4tf5kEImXIrBxd4Du2u4bvhChRANCAAQobU7WdpqxAtG0DE4lX/lE2I8A7IWd
        fwtGYKYb0z9pEPxNQytlrs+tuBVWgIrqgD06V2Ndk92BNfbl3uR5smMI
        -----END PRIVATE KEY-----
        """
}
