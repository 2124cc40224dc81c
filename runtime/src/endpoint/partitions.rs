//! AWS partitions: the facts `aws.partition` returns, written as Rust data
//! from AWS's published `partitions.json` so that no JSON is parsed at run
//! time. The unit test `table_matches_partitions_json` compares this table
//! with `../shared/endpoints/partitions.json` field by field: when AWS adds a
//! region or a partition, copy the new facts here until it passes.

/// A region listed by name in a partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Region {
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
}

/// What `aws.partition` returns for a region of the partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// `name`: the partition id (`aws`, `aws-cn`, …).
    pub name: &'static str,
    /// `dnsSuffix`.
    pub dns_suffix: &'static str,
    /// `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: &'static str,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`.
    pub implicit_global_region: &'static str,
}

/// One partition: its listed regions and the pattern of region names it
/// also claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Partition {
    pub(crate) id: &'static str,
    pub(crate) region_regex: &'static str,
    pub(crate) regions: &'static [Region],
    pub(crate) outputs: PartitionOutputs,
}

/// The partition of `region`: the one that lists it, else the first whose
/// `regionRegex` matches, else `aws` (so that a region AWS has not
/// published yet still resolves).
pub(crate) fn partition_of(region: &str) -> Option<&'static Partition> {
    PARTITIONS
        .iter()
        .find(|p| p.regions.iter().any(|r| r.name == region))
        .or_else(|| {
            PARTITIONS
                .iter()
                .find(|p| super::regex::matches(p.region_regex, region))
        })
        .or_else(|| PARTITIONS.iter().find(|p| p.id == "aws"))
}

/// AWS partitions, in the order of `partitions.json` (the regex fallback
/// takes the first match, so the order matters).
pub(crate) static PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws",
        region_regex: r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
        regions: &[
            Region {
                name: "af-south-1",
                description: "Africa (Cape Town)",
            },
            Region {
                name: "ap-east-1",
                description: "Asia Pacific (Hong Kong)",
            },
            Region {
                name: "ap-east-2",
                description: "Asia Pacific (Taipei)",
            },
            Region {
                name: "ap-northeast-1",
                description: "Asia Pacific (Tokyo)",
            },
            Region {
                name: "ap-northeast-2",
                description: "Asia Pacific (Seoul)",
            },
            Region {
                name: "ap-northeast-3",
                description: "Asia Pacific (Osaka)",
            },
            Region {
                name: "ap-south-1",
                description: "Asia Pacific (Mumbai)",
            },
            Region {
                name: "ap-south-2",
                description: "Asia Pacific (Hyderabad)",
            },
            Region {
                name: "ap-southeast-1",
                description: "Asia Pacific (Singapore)",
            },
            Region {
                name: "ap-southeast-2",
                description: "Asia Pacific (Sydney)",
            },
            Region {
                name: "ap-southeast-3",
                description: "Asia Pacific (Jakarta)",
            },
            Region {
                name: "ap-southeast-4",
                description: "Asia Pacific (Melbourne)",
            },
            Region {
                name: "ap-southeast-5",
                description: "Asia Pacific (Malaysia)",
            },
            Region {
                name: "ap-southeast-6",
                description: "Asia Pacific (New Zealand)",
            },
            Region {
                name: "ap-southeast-7",
                description: "Asia Pacific (Thailand)",
            },
            Region {
                name: "aws-global",
                description: "aws global region",
            },
            Region {
                name: "ca-central-1",
                description: "Canada (Central)",
            },
            Region {
                name: "ca-west-1",
                description: "Canada West (Calgary)",
            },
            Region {
                name: "eu-central-1",
                description: "Europe (Frankfurt)",
            },
            Region {
                name: "eu-central-2",
                description: "Europe (Zurich)",
            },
            Region {
                name: "eu-north-1",
                description: "Europe (Stockholm)",
            },
            Region {
                name: "eu-south-1",
                description: "Europe (Milan)",
            },
            Region {
                name: "eu-south-2",
                description: "Europe (Spain)",
            },
            Region {
                name: "eu-west-1",
                description: "Europe (Ireland)",
            },
            Region {
                name: "eu-west-2",
                description: "Europe (London)",
            },
            Region {
                name: "eu-west-3",
                description: "Europe (Paris)",
            },
            Region {
                name: "il-central-1",
                description: "Israel (Tel Aviv)",
            },
            Region {
                name: "me-central-1",
                description: "Middle East (UAE)",
            },
            Region {
                name: "me-south-1",
                description: "Middle East (Bahrain)",
            },
            Region {
                name: "mx-central-1",
                description: "Mexico (Central)",
            },
            Region {
                name: "sa-east-1",
                description: "South America (Sao Paulo)",
            },
            Region {
                name: "us-east-1",
                description: "US East (N. Virginia)",
            },
            Region {
                name: "us-east-2",
                description: "US East (Ohio)",
            },
            Region {
                name: "us-west-1",
                description: "US West (N. California)",
            },
            Region {
                name: "us-west-2",
                description: "US West (Oregon)",
            },
        ],
        outputs: PartitionOutputs {
            name: "aws",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-east-1",
        },
    },
    Partition {
        id: "aws-cn",
        region_regex: r"^cn\-\w+\-\d+$",
        regions: &[
            Region {
                name: "aws-cn-global",
                description: "aws-cn global region",
            },
            Region {
                name: "cn-north-1",
                description: "China (Beijing)",
            },
            Region {
                name: "cn-northwest-1",
                description: "China (Ningxia)",
            },
        ],
        outputs: PartitionOutputs {
            name: "aws-cn",
            dns_suffix: "amazonaws.com.cn",
            dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "cn-northwest-1",
        },
    },
    Partition {
        id: "aws-eusc",
        region_regex: r"^eusc\-(de)\-\w+\-\d+$",
        regions: &[Region {
            name: "eusc-de-east-1",
            description: "AWS European Sovereign Cloud (Germany)",
        }],
        outputs: PartitionOutputs {
            name: "aws-eusc",
            dns_suffix: "amazonaws.eu",
            dual_stack_dns_suffix: "api.amazonwebservices.eu",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "eusc-de-east-1",
        },
    },
    Partition {
        id: "aws-iso",
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &[
            Region {
                name: "aws-iso-global",
                description: "aws-iso global region",
            },
            Region {
                name: "us-iso-east-1",
                description: "US ISO East",
            },
            Region {
                name: "us-iso-west-1",
                description: "US ISO WEST",
            },
        ],
        outputs: PartitionOutputs {
            name: "aws-iso",
            dns_suffix: "c2s.ic.gov",
            dual_stack_dns_suffix: "api.aws.ic.gov",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-iso-east-1",
        },
    },
    Partition {
        id: "aws-iso-b",
        region_regex: r"^us\-isob\-\w+\-\d+$",
        regions: &[
            Region {
                name: "aws-iso-b-global",
                description: "aws-iso-b global region",
            },
            Region {
                name: "us-isob-east-1",
                description: "US ISOB East (Ohio)",
            },
            Region {
                name: "us-isob-west-1",
                description: "US ISOB West",
            },
        ],
        outputs: PartitionOutputs {
            name: "aws-iso-b",
            dns_suffix: "sc2s.sgov.gov",
            dual_stack_dns_suffix: "api.aws.scloud",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-isob-east-1",
        },
    },
    Partition {
        id: "aws-iso-e",
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        regions: &[
            Region {
                name: "aws-iso-e-global",
                description: "aws-iso-e global region",
            },
            Region {
                name: "eu-isoe-west-1",
                description: "EU ISOE West",
            },
        ],
        outputs: PartitionOutputs {
            name: "aws-iso-e",
            dns_suffix: "cloud.adc-e.uk",
            dual_stack_dns_suffix: "api.cloud-aws.adc-e.uk",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "eu-isoe-west-1",
        },
    },
    Partition {
        id: "aws-iso-f",
        region_regex: r"^us\-isof\-\w+\-\d+$",
        regions: &[
            Region {
                name: "aws-iso-f-global",
                description: "aws-iso-f global region",
            },
            Region {
                name: "us-isof-east-1",
                description: "US ISOF EAST",
            },
            Region {
                name: "us-isof-south-1",
                description: "US ISOF SOUTH",
            },
        ],
        outputs: PartitionOutputs {
            name: "aws-iso-f",
            dns_suffix: "csp.hci.ic.gov",
            dual_stack_dns_suffix: "api.aws.hci.ic.gov",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-isof-south-1",
        },
    },
    Partition {
        id: "aws-us-gov",
        region_regex: r"^us\-gov\-\w+\-\d+$",
        regions: &[
            Region {
                name: "aws-us-gov-global",
                description: "aws-us-gov global region",
            },
            Region {
                name: "us-gov-east-1",
                description: "AWS GovCloud (US-East)",
            },
            Region {
                name: "us-gov-west-1",
                description: "AWS GovCloud (US-West)",
            },
        ],
        outputs: PartitionOutputs {
            name: "aws-us-gov",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-gov-west-1",
        },
    },
];

/// `version` of the `partitions.json` this table was written from.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const PARTITIONS_VERSION: &str = "1.1";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const PARTITIONS_JSON: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/endpoints/partitions.json"
    );

    #[test]
    fn table_matches_partitions_json() {
        let Ok(text) = std::fs::read_to_string(PARTITIONS_JSON) else {
            println!("skipped: {PARTITIONS_JSON} is absent, so the partition table is not checked against it");
            return;
        };
        let json: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["version"], PARTITIONS_VERSION, "version");
        let partitions = json["partitions"].as_array().unwrap();
        let ids = |it: &mut dyn Iterator<Item = String>| it.collect::<Vec<_>>();
        assert_eq!(
            ids(&mut PARTITIONS.iter().map(|p| p.id.to_string())),
            ids(&mut partitions
                .iter()
                .map(|p| p["id"].as_str().unwrap().to_string())),
            "partition ids, in order"
        );
        for (rust, json) in PARTITIONS.iter().zip(partitions) {
            let at = rust.id;
            assert_eq!(rust.region_regex, json["regionRegex"], "{at}: regionRegex");
            let regions = json["regions"].as_object().unwrap();
            assert_eq!(
                rust.regions.iter().map(|r| r.name).collect::<Vec<_>>(),
                regions.keys().map(String::as_str).collect::<Vec<_>>(),
                "{at}: region names"
            );
            for region in rust.regions {
                let entry = regions[region.name].as_object().unwrap();
                assert_eq!(
                    entry["description"], region.description,
                    "{at}: {}",
                    region.name
                );
                assert_eq!(
                    entry.len(),
                    1,
                    "{at}: {} has fields the table lacks: {entry:?}",
                    region.name
                );
            }
            let o = &json["outputs"];
            let r = &rust.outputs;
            assert_eq!(o["name"], r.name, "{at}: name");
            assert_eq!(o["dnsSuffix"], r.dns_suffix, "{at}: dnsSuffix");
            assert_eq!(
                o["dualStackDnsSuffix"], r.dual_stack_dns_suffix,
                "{at}: dualStackDnsSuffix"
            );
            assert_eq!(o["supportsFIPS"], r.supports_fips, "{at}: supportsFIPS");
            assert_eq!(
                o["supportsDualStack"], r.supports_dual_stack,
                "{at}: supportsDualStack"
            );
            assert_eq!(
                o["implicitGlobalRegion"], r.implicit_global_region,
                "{at}: implicitGlobalRegion"
            );
            assert_eq!(
                o.as_object().unwrap().len(),
                6,
                "{at}: outputs has fields the table lacks: {o}"
            );
            assert_eq!(
                json.as_object().unwrap().len(),
                4,
                "{at}: fields the table lacks"
            );
        }
    }

    #[test]
    fn every_region_regex_compiles() {
        for p in PARTITIONS {
            assert!(
                super::super::regex::compile(p.region_regex).is_some(),
                "{}: {}",
                p.id,
                p.region_regex
            );
        }
    }

    #[test]
    fn lookup_prefers_the_list_then_the_first_regex_then_aws() {
        let id = |region: &str| partition_of(region).map(|p| p.id);
        assert_eq!(id("us-east-1"), Some("aws"));
        assert_eq!(id("aws-cn-global"), Some("aws-cn"));
        assert_eq!(id("cn-north-5"), Some("aws-cn"));
        assert_eq!(id("us-gov-west-9"), Some("aws-us-gov"));
        assert_eq!(id("us-isob-east-7"), Some("aws-iso-b"));
        assert_eq!(id("eusc-de-east-2"), Some("aws-eusc"));
        assert_eq!(id("mars-global"), Some("aws"));
        assert_eq!(id(""), Some("aws"));
    }
}
