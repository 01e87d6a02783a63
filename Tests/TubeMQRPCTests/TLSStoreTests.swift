import Foundation
import Testing

@testable import TubeMQRPC

/// Key and trust stores in PKCS#12: a store of certificates only (the usual form of a trust store,
/// `openssl pkcs12 -export -nokeys`) is refused with a clear error. NIOSSL reads only stores with a
/// key and stopped the process on such a store (SIGILL), taking the master, the broker or the CLI down.
@Suite struct TLSStoreTests {
    /// `openssl pkcs12 -export -nokeys -in ca.pem -passout pass:pw`: one self-signed certificate.
    static let certificatesOnly = Data(
        base64Encoded: [
            "MIIEJwIBAzCCA90GCSqGSIb3DQEHAaCCA84EggPKMIIDxjCCA8IGCSqGSIb3DQEHBqCCA7MwggOvAgEAMIIDqAYJKoZIhvcNAQcB",
            "MFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhvb6bof0AQ+gICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEAEy",
            "4wwuufIyuzQag6930HCAggNANR49r12dYuVptCQqwEkjQfN/AMWI9Sz4Mo5IljohJMArL1l5EY4GDwoIJ85TLaeRSsjbJnPxXXCA",
            "MUul6d4+RmXzoUPJm0C9HkAb8V/kypM/vJnQP/fjqMwnuj/weRgikQWK7ZKz9Y19TG/XFFA4zFu8o5EbVmNYTichnEzJ2cYjqgqs",
            "VgzQe1e/JttT904MqAQz/VMe3Dcz8glxKx5y08xOOBP5ZY3zXfm1iFrr58eRxhM3zHwhMCO7fYCaT59btVcDt23gSN1C/DoBHNZ3",
            "Qx36YVGo5e9DDhS+RuMi9CAR6XyamOnafHI4MCDBJvLHGPCbCop1Qfpxi9XLH2aArNxHNelOHhTcNoJyiQUpl6/ktLg/8vwhWnMo",
            "68VkahJSEj7YvwPdD88vqref9TJVv69MypXGC4OxMg7Zapt77c3Yk+0VDnj2DZXnmOnn5ktFRRlxePyFJYeqwyetW6lzXXHWCCwS",
            "SQB6NW+Whg67xF6nvHQjPAKM+ojXxeZrpQVoRfi+UV5hyL/Oft4IlHdYH3anPpur8VwSy62PLqizuVcpQmTE/tXY51eMN05cn1Ar",
            "kJYypc6i66CCzRcu23AtyTGOipYFP5bGBSl0vqwryE3SnZvydQHSuwTCIHeF5Kr+x/Fg2jT8DjXT2VKo/Ft8APSBfeQZGCzK3Io9",
            "pV37r/9Asjhn4lW9Gjr7WwSeO0N8oPBfESKJ/Sc/VGFYucnAR/2gzZ6E+tnqmbUqkl/49ZK84iceIW9lMGTiF0HIZ2dEF42n+Wod",
            "RXQkZ4TMTrXxDan/RyNH7bTCH8F6CVMTsPtCJqy0Tu0wn7XFvIicB55xgW1osYxcslW3ppawICu+5wQNhSdIlhBbvQBlAzesVNpa",
            "BBZe0GJj8BFrCQxo/gXQsYpQ6H3ChZhSMSVdOwp7XZ85EEh/g0KAhs7ibyTQs6+wzJ40m8XINb7vtLIdzT++r/QvQ12E/kb9Lh61",
            "zYD9H9z+m8DOt5dUaFuOO5jOyvCaVxRTgws2v6/RkBXMtfew2jDb/FnfaTg8XylljI/lb4PXu+UFgeEtgoXSZ/SPpoiDnvrfT8bk",
            "q9/bgB3avDGmwOkv45WZ28E5266r0VL0oDBBMDEwDQYJYIZIAWUDBAIBBQAEIAgHZ1Hj73c2R8B1KF8wXWsTDczaJVHazGGo3+hw",
            "CeaiBAhXW58iEG1OiwICCAA=",
        ].joined()
    )!

    /// `openssl pkcs12 -export -in ca.pem -inkey key.pem -passout pass:pw`: the same with its key.
    static let withKey = Data(
        base64Encoded: [
            "MIIJ3wIBAzCCCZUGCSqGSIb3DQEHAaCCCYYEggmCMIIJfjCCA/IGCSqGSIb3DQEHBqCCA+MwggPfAgEAMIID2AYJKoZIhvcNAQcB",
            "MFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAgsgwavVZy9wAICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEHkd",
            "OqVDZ0dI4XAN+D3hKjiAggNwbQEXxmOBzncePzR04b8C3kUbvAc2HWG1+tf/qJjzEgiFnKjwXZnEq6mePDg1YDxEi9hrRyl2DeJ1",
            "cRcYpvT5kMAmyNMYRyqlOQlwpq4g8X4KRHn1rsc15yVs7AjcHpeOrwSljP6N9rZP3k2a/tqIVk2yjHLHX7FhtaEi5+gfrRvvKCHV",
            "L0uPkTlbg0iPxOldrsrVawIxmL2QFBH3tjlxHgfNao4tUE0ltPf3ebch8BIOeNfn7w3T/j2ywe9bvPSLVFVRSKqqOEczS8ykYp3y",
            "O0ny0jsGyDkNyh5LC65CzuAJFCqO/Atuyh6+OScSvaILqgRgevLtJQ3Q0HZBijIMwmyzdebYivXWDKDSjAphLG8Yz6o/zcGnjm7d",
            "XvCdfyYm/7DE9WYrxe0o+EymY95YOWztILy/y3EHwc2Pr45fJHMbmVK0ulbII4/aP4Ls4NhVu+3E4eYm/GUiJ8PwaykqY6/DpsXn",
            "eylawetvfd98/YNwnh5jF90QVgSdEoCcMmsdMrf7Wv7cTTY7oyg04Ct8sL9xnZaSVkG688bBpt7fM0eHTBj3xjlAKdqq46c9U3AW",
            "X7pA3ntOuTVCpAG18vEgDuHJdbfmnekFWDxstww8fk3EeJkvcoIEcl1hwLoPEMOvQYWHutE+hmM1Sf37Ubdz75ef1+cDTs+vjkMv",
            "Z9AiVqe8o4DZm/R8tpKWCbTNxAeEJVSTim915E8NRf7Njuay/lMMncEmNMMgjvJwUjDgl958/yUGTSuw0NQQRCC01kSu44dxrEg7",
            "LZGFM/ly6JcdZiXIaKRbmo1JORZ7TfP9CWVsM3g1iPjvDOIP2LqNkuViNF3zqTDPcp5Lw7epFVay+ZV/mIyadx4LAUIfOV59Tvlw",
            "Kz02PWRvdpAN24R7Ki5JSlk7NtJIqGCxMPPhnsrMrYloXkZPN6f+e5PMTkwlsB7D+Tuel7rV78EWgdoyxNXhwsFagWv4R2Z4XN7h",
            "Xu/cueHtALeqsrC1ACuToSgDPurC6GZJAWxxMMkg5XCM+QIXuDY92mVkig8p8JzfVAGaUmgvumPhWxfiOj0+yST1TT8fkC3CJcmt",
            "VhAc3ztPag3DDAQAqmX4Dzv+YBjnKvCBC9YtsD85E3XUd0kdClQTsELSjtG/n5JamjlFp18NdVyFV6NhIkKoFkWRBcRrSEYROzCC",
            "BYQGCSqGSIb3DQEHAaCCBXUEggVxMIIFbTCCBWkGCyqGSIb3DQEMCgECoIIFMTCCBS0wVwYJKoZIhvcNAQUNMEowKQYJKoZIhvcN",
            "AQUMMBwECMX9eRlSsQIaAgIIADAMBggqhkiG9w0CCQUAMB0GCWCGSAFlAwQBKgQQJBngpsA/Eza/noeRudCfOwSCBNC9j7/rP+g5",
            "vwjSx50b36R2WVL5CzfJNlo1iXSnrsAybijnL9bEWWW/DZxpqUmXNcOw+r8QYJIsWJ5hJqJ2CkE0sdMZSLJ15EYc/OFooVWiVJSi",
            "3Bu7FnI05GUdiAAYSDuqQE/kVGpy4Hf6neMFpaXDWPw7TaoJG4CfhMGJ7nW32nz+72A9rCj7gSeuh9DvjLvgYz3tmbayS3MKfDi5",
            "st84f3GaMHoEyTi1IJSuAtoNex+Ff5qNoX5fsQfn1elmpA6EoIkQT6bquC0Gk7Ed73kuyDhcd0no2FGr2mlbBER4W0N/2RC683yw",
            "rI+h0SDSKPJVIteZcvCv+uwz2n+/7sFsPswimhFsQIJIROu+vQx19lfoR2cAo17LrfmXJpxA4ARsadlTJSNx9F+4m0YFe986KiJ8",
            "4k6UvZ6Z9sI+IGn7Y/+hGhLOuaPgQL8CN/wcZKGpzQbpwp0ZM6r5N+FuUVM7ijoZI/T9eLKIJuM9P8L+LfuhapcKp9EuLRds45B+",
            "uFP24eBdaHDtOq1RmAC4ERH5+Gb4Ee24ipUZannb4LHUg8IwrbioDabYlFWfQVBajO3XgXyKU/duFPHBxmMLD/tcMaqkRQmigaSY",
            "Jwgwvtw5W4HwO01T7mRNNuwbN2EZG7uq2VjASI6/lPYPldvx3z3rsRlYvpll+gar+6oq+uTQeoQLF+9OI4ySZvpwSNmhAvsbcyqX",
            "jCKPPCoDC7iFn7rPN4HtSKtOETcySpTwdsDVw6w357CiQT2eL5LBmDi4Nr2/fOzdFIRsM8noRB/woaMNhUrUBKBOGmjNDC8SyJKv",
            "N6atQJiiM55vTzaXe2+l6ddvszdEZfBmKuK8eqVat2mWj6KwADW4QLEC6sdi7fZlm0DfDXxI69T/m6vMBQEaxECuMSQ2uZ0ZJ7zW",
            "9zMqJVGTlSAUGRT4E2pCxLzo5CzoaaY5Q2Es73WBvv3NxZrf34wxWlAc/cV9Chtnfxz9lQ0vrhZOTbBzT+qGG2mlqM5QnsOFScE7",
            "KVfOPY9Fh7lHe1zJgWUMpmgGOxFSFZt159BnUhcdgrgytKy92cgyUFNDXLBETDruW1+AEHl9mL/Pp6LUXcQR6MH4lAClVa/W/t5k",
            "9Qe/MNwPPD7H4YSoKp0lWJtlPhy9r/QXJGmTGyG03rHxAoaJxJ4aWBnr10kbpKITv90P82S8nI4q6TlqcTNIBipAzT+zzAju8Zc2",
            "uE8hhA1NHDTCXqRPTNBQ1Jf6W/w5gWONjzmmttMsTZaDPEmgIDt4Ysgkaf86xFSWK0NBMMwVfMddxrcM/3o9fa2o3gsmxIdMihCu",
            "duGl0iYHIkTCH9kfY5mXRzTx4kBaSb9Zd9FIyqM9xtzKuan5d5Ql3qb/1iutXcEX+NCwEtkrrFscKYF0VD0PhE2KPKKZqGYC+nfS",
            "eIKhQkRflhLqkpPThg2ROkgnVE8eS7uqPERQOsny2USO3WqSBf2iN6hnGhZxN8XRhTr2itVa6a9mYr223quY+1HDG1twZhwMXL2A",
            "5VorAa3p5zCbUcJgbF/8uYBggNxBnzC9RYm4+SkVbHJBcY8LEUq4+uFW+0KeLD057Mcix6mleBpRB6GW5Xd6wjBLvsnqWYss3eyb",
            "EPv4EOWH3GaHEFXm/k1nB+yym0KqCsWdRzElMCMGCSqGSIb3DQEJFTEWBBRvTQfRI0pnnBi071mtTsViGn2XTDBBMDEwDQYJYIZI",
            "AWUDBAIBBQAEIHevKBV+rAHxp8u6nE6E9ta8ET1v3U/eiLQZzWtElWXIBAgodLB/m9uFqgICCAA=",
        ].joined()
    )!

    static func file(_ data: Data) throws -> String {
        let path = NSTemporaryDirectory() + "tubemq-store-\(UUID().uuidString).p12"
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aStoreOfCertificatesOnlyIsRefusedNotFatal() throws {
        let path = try Self.file(Self.certificatesOnly)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(!TLSSettings.hasKeyBag(Array(Self.certificatesOnly)))
        #expect(throws: TLSSettingsError.self) { try TLSSettings.certificates(path, password: "pw") }
        #expect(throws: TLSSettingsError.self) { try TLSSettings.identity(path, password: "pw") }
    }

    @Test func aStoreWithAKeyLoads() throws {
        let path = try Self.file(Self.withKey)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(TLSSettings.hasKeyBag(Array(Self.withKey)))
        #expect(try TLSSettings.certificates(path, password: "pw").count == 1)
        #expect(try TLSSettings.identity(path, password: "pw").0.count == 1)
        #expect(throws: TLSSettingsError.self, "a wrong password") {
            try TLSSettings.certificates(path, password: "no")
        }
    }
}
