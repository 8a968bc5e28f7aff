//! Every service the library can be built with: its cargo feature, its
//! config struct and the schemes it registers. A build has the services of
//! the features it was built with, and memory, which is always in.
//!
//! Adding a service: its feature in rust/Cargo.toml (in `default` too), a
//! row here, its entry in scripts/service_catalog.ts.


use crate::services::field_names;

/// A service the library can be built with.
pub struct Service {
    /// Its name (the scheme `--services` and the typed module use); its
    /// cargo feature is `services-<name>`.
    pub name: &'static str,
    /// Its schemes: the name, then any aliases (`file` for `fs`).
    pub schemes: &'static [&'static str],
    /// Whether this build has it.
    pub built: bool,
}

macro_rules! services {
    ($($feature:literal => $config:ident: $($scheme:literal)|+;)*) => {
        /// Every service a build may have, memory first.
        pub const ALL: &[Service] = &[
            Service { name: "memory", schemes: &["memory"], built: true },
            $(Service {
                name: const_name($feature),
                schemes: &[$($scheme),+],
                built: cfg!(feature = $feature),
            },)*
        ];

        /// The config keys of `scheme` (lower case, aliases included), when
        /// this build has its service.
        pub fn keys(scheme: &str) -> Option<&'static [&'static str]> {
            #[allow(unused_imports)]
            use opendal::services::*;
            match scheme {
                "memory" => Some(field_names::<MemoryConfig>()),
                $(
                    #[cfg(feature = $feature)]
                    $($scheme)|+ => Some(field_names::<$config>()),
                )*
                _ => None,
            }
        }
    };
}

services! {
    "services-aliyun-drive" => AliyunDriveConfig: "aliyun-drive";
    "services-alluxio" => AlluxioConfig: "alluxio";
    "services-azblob" => AzblobConfig: "azblob";
    "services-azdls" => AzdlsConfig: "azdls";
    "services-azfile" => AzfileConfig: "azfile";
    "services-b2" => B2Config: "b2";
    "services-cacache" => CacacheConfig: "cacache";
    "services-cloudflare-kv" => CloudflareKvConfig: "cloudflare-kv";
    "services-cos" => CosConfig: "cos" | "cosn";
    "services-d1" => D1Config: "d1";
    "services-dashmap" => DashmapConfig: "dashmap";
    "services-dbfs" => DbfsConfig: "dbfs";
    "services-dropbox" => DropboxConfig: "dropbox";
    "services-etcd" => EtcdConfig: "etcd";
    "services-foyer" => FoyerConfig: "foyer";
    "services-fs" => FsConfig: "fs" | "file";
    "services-ftp" => FtpConfig: "ftp";
    "services-gcs" => GcsConfig: "gcs";
    "services-gcs-grpc" => GcsGrpcConfig: "gcs-grpc";
    "services-gdrive" => GdriveConfig: "gdrive";
    "services-ghac" => GhacConfig: "ghac";
    "services-github" => GithubConfig: "github";
    "services-goosefs" => GoosefsConfig: "goosefs";
    "services-gridfs" => GridfsConfig: "gridfs";
    "services-hdfs-native" => HdfsNativeConfig: "hdfs-native";
    "services-hf" => HfConfig: "hf" | "huggingface";
    "services-http" => HttpConfig: "http" | "https";
    "services-ipfs" => IpfsConfig: "ipfs";
    "services-ipmfs" => IpmfsConfig: "ipmfs";
    "services-koofr" => KoofrConfig: "koofr";
    "services-lakefs" => LakefsConfig: "lakefs";
    "services-memcached" => MemcachedConfig: "memcached";
    "services-mini-moka" => MiniMokaConfig: "mini-moka";
    "services-moka" => MokaConfig: "moka";
    "services-mongodb" => MongodbConfig: "mongodb";
    "services-mysql" => MysqlConfig: "mysql";
    "services-obs" => ObsConfig: "obs";
    "services-onedrive" => OnedriveConfig: "onedrive";
    "services-oss" => OssConfig: "oss";
    "services-pcloud" => PcloudConfig: "pcloud";
    "services-persy" => PersyConfig: "persy";
    "services-postgresql" => PostgresqlConfig: "postgresql";
    "services-redb" => RedbConfig: "redb";
    "services-redis" => RedisConfig: "redis";
    "services-s3" => S3Config: "s3";
    "services-seafile" => SeafileConfig: "seafile";
    "services-sftp" => SftpConfig: "sftp";
    "services-sled" => SledConfig: "sled";
    "services-sqlite" => SqliteConfig: "sqlite";
    "services-swift" => SwiftConfig: "swift";
    "services-tos" => TosConfig: "tos";
    "services-upyun" => UpyunConfig: "upyun";
    "services-vercel-artifacts" => VercelArtifactsConfig: "vercel-artifacts";
    "services-vercel-blob" => VercelBlobConfig: "vercel-blob";
    "services-webdav" => WebdavConfig: "webdav";
    "services-webhdfs" => WebhdfsConfig: "webhdfs";
    "services-yandex-disk" => YandexDiskConfig: "yandex-disk";
}

/// `services-fs` to `fs`, at compile time.
const fn const_name(feature: &'static str) -> &'static str {
    let (_, name) = feature.as_bytes().split_at(b"services-".len());
    match std::str::from_utf8(name) {
        Ok(name) => name,
        Err(_) => panic!("a feature name is UTF-8"),
    }
}

/// The names of the services this build has, sorted.
pub fn built() -> Vec<&'static str> {
    let mut names: Vec<_> = ALL.iter().filter(|s| s.built).map(|s| s.name).collect();
    names.sort_unstable();
    names
}

/// The service `scheme` (a name or an alias) names, built or not.
pub fn find(scheme: &str) -> Option<&'static Service> {
    ALL.iter().find(|s| s.schemes.contains(&scheme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_list_is_what_opendal_registered() {
        let registered: BTreeSet<String> = opendal::OperatorRegistry::get().schemes().into_iter().collect();
        let listed: BTreeSet<String> = ALL
            .iter()
            .filter(|s| s.built)
            .flat_map(|s| s.schemes.iter().map(|s| s.to_string()))
            .collect();
        assert_eq!(listed, registered);
    }

    #[test]
    fn every_built_scheme_has_its_keys() {
        for service in ALL.iter().filter(|s| s.built) {
            for scheme in service.schemes {
                let keys = keys(scheme).unwrap_or_else(|| panic!("{scheme} has no key list"));
                assert!(!keys.is_empty(), "{scheme}: serde gave no field names");
            }
        }
    }

    #[test]
    fn names_are_their_features() {
        assert_eq!(const_name("services-mini-moka"), "mini-moka");
        assert_eq!(find("file").map(|s| s.name), Some("fs"));
        assert!(find("nosuch").is_none());
        assert!(built().contains(&"memory"));
    }
}
