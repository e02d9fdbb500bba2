//! The Rent Manager client on its own, against the fake in Rent Manager's wire format: the
//! login and its token, timeouts and typed errors, callers by phone, service issues and
//! history notes.

use std::time::Duration;

use frontdesk::call::effects::{NewServiceIssue, NoteOn};
use frontdesk::call::{CallerKind, Priority, Records};
use frontdesk::phone::Phone;
use frontdesk::rent_manager::{Auth, OpenIssue, RentManager, RentManagerError, Settings};

use crate::fake_rent_manager::{
    FakeRentManager, FakeTenant, RM_PASSWORD, RM_PROSPECT, RM_TENANT, RM_USERNAME,
};
use crate::helpers::STRANGER;

fn settings(url: String) -> Settings {
    Settings {
        url,
        auth: Auth::Login {
            username: RM_USERNAME.into(),
            password: RM_PASSWORD.into(),
            location_id: Some(1),
        },
        connect_timeout: Duration::from_millis(500),
        request_timeout: Duration::from_secs(2),
        category: "maintenance".into(),
        status: "Open".into(),
    }
}

async fn client() -> (FakeRentManager, RentManager) {
    let rm = FakeRentManager::start().await;
    let client = RentManager::new(settings(rm.url())).unwrap();
    (rm, client)
}

fn phone(raw: &str) -> Phone {
    Phone::parse(raw).unwrap()
}

fn leak(tenant_id: Option<i64>) -> NewServiceIssue {
    NewServiceIssue {
        title: "Kitchen sink leaking".into(),
        description: "Caller's words: \"my kitchen sink is leaking\". Permission to enter: yes. (call CA9-3)"
            .into(),
        allowed_to_enter: Some(true),
        priority: Priority::Urgent,
        records: Records { tenant_id, prospect_id: None, unit_id: Some(321), property_id: Some(5) },
        marker: Some("CA9-3".into()),
    }
}

#[tokio::test]
async fn a_tenant_is_found_by_each_phone_format() {
    for refuse_phone_filter in [false, true] {
        let rm = FakeRentManager::start().await.with_tenant(FakeTenant {
            id: 43,
            first_name: "Marcia",
            last_name: "Clark",
            phone: "718-414-6984",
            unit_id: 330,
            unit: "5B",
            ..FakeTenant::default()
        });
        rm.set(|s| s.refuse_phone_filter = refuse_phone_filter);
        for raw in ["+17184146984", "(718) 414-6984", "718-414-6984", "7184146984"] {
            let client = RentManager::new(settings(rm.url())).unwrap();

            let person = client.find_caller(&phone(raw)).await.unwrap().expect(raw);

            assert_eq!(
                (person.kind, person.id, person.name.as_str()),
                (CallerKind::Tenant, 43, "Marcia Clark")
            );
            assert_eq!(person.first_name.as_deref(), Some("Marcia"));
            assert_eq!(
                (person.unit.as_deref(), person.unit_id),
                (Some("5B"), Some(330)),
                "the current lease"
            );
            assert_eq!((person.property_id, person.property.as_deref()), (Some(5), Some("Windsor Court")));
            assert_eq!(person.property_address.as_deref(), Some("1042 Windsor St, Staten Island, NY 10310"));
        }
    }
}

#[tokio::test]
async fn a_tenant_brings_their_open_issues_and_becomes_a_caller() {
    let (_rm, client) = client().await;

    let person = client.find_caller(&phone(RM_TENANT)).await.unwrap().unwrap();

    assert_eq!(person.open_issues, vec![OpenIssue { id: 11, title: "Dripping bathroom faucet".into() }]);
    let caller = person.caller(&phone(RM_TENANT));
    assert_eq!(
        (caller.kind, caller.name.as_deref(), caller.unit.as_deref()),
        (CallerKind::Tenant, Some("Ana Ruiz"), Some("3F"))
    );
    assert_eq!(caller.property.as_deref(), Some("Windsor Court"));
    assert_eq!(caller.records.unwrap().tenant_id, Some(42));
}

#[tokio::test]
async fn a_number_the_server_search_misses_is_found_by_one_cached_scan() {
    let rm = FakeRentManager::start().await.with_tenant(FakeTenant {
        id: 44,
        phone: "+1 (718) 555-0133",
        stripped: Some("+17185550133"),
        ..FakeTenant::default()
    });
    let client = RentManager::new(settings(rm.url())).unwrap();

    let first = client.find_caller(&phone("718-555-0133")).await.unwrap().unwrap();
    let stranger = client.find_caller(&phone(STRANGER)).await.unwrap();

    assert_eq!(first.id, 44);
    assert_eq!(stranger, None);
    assert_eq!(rm.count("GET", "/Tenants").await, 1, "one scan, then the cache");
    assert_eq!(rm.count("GET", "/Prospects").await, 1);
    let per_contact = rm.requests().await.iter().filter(|r| r.url.path().starts_with("/Contacts")).count();
    assert_eq!(per_contact, 0, "never one request per contact");
}

#[tokio::test]
async fn a_prospect_is_found_when_no_tenant_matches() {
    let (_rm, client) = client().await;

    let person = client.find_caller(&phone(RM_PROSPECT)).await.unwrap().unwrap();

    assert_eq!((person.kind, person.id, person.name.as_str()), (CallerKind::Prospect, 77, "Leo Park"));
    assert_eq!(person.property.as_deref(), Some("Windsor Court"));
    assert!(person.open_issues.is_empty());
}

#[tokio::test]
async fn an_unknown_number_is_none_whether_rm_answers_204_empty_or_404() {
    for no_rows in [204, 200, 404] {
        let (rm, client) = client().await;
        rm.set(|s| s.no_rows = no_rows);

        let found = client.find_caller(&phone(STRANGER)).await;

        assert_eq!(found.unwrap(), None, "no rows as {no_rows}");
    }
}

#[tokio::test]
async fn the_token_is_reused_across_requests() {
    let (rm, client) = client().await;

    client.find_caller(&phone(RM_TENANT)).await.unwrap();
    let concurrent: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.create_service_issue(&leak(Some(42))).await })
        })
        .collect();
    for call in concurrent {
        call.await.unwrap().unwrap();
    }

    assert_eq!(rm.logins(), 1);
    let tokens = rm.tokens().await;
    assert!(tokens.len() > 10 && tokens.iter().all(|t| t == "token-1"), "{tokens:?}");
    let login = &rm.received("POST", "/Authentication/AuthorizeUser").await[0];
    assert_eq!((login["Username"].as_str(), login["LocationID"].as_i64()), (Some(RM_USERNAME), Some(1)));
}

#[tokio::test]
async fn concurrent_first_requests_log_in_once() {
    let (rm, client) = client().await;

    let lookups: Vec<_> = [RM_TENANT, RM_PROSPECT, STRANGER, RM_TENANT]
        .into_iter()
        .map(|raw| {
            let client = client.clone();
            tokio::spawn(async move { client.find_caller(&phone(raw)).await })
        })
        .collect();
    for lookup in lookups {
        lookup.await.unwrap().unwrap();
    }

    assert_eq!(rm.logins(), 1, "no login stampede");
}

#[tokio::test]
async fn an_api_key_is_sent_and_never_logs_in() {
    let rm = FakeRentManager::start().await;
    rm.set(|s| s.api_key = Some("issued-by-the-office".into()));
    let client = RentManager::new(Settings {
        auth: Auth::ApiKey("issued-by-the-office".into()),
        ..settings(rm.url())
    })
    .unwrap();

    assert!(client.find_caller(&phone(RM_TENANT)).await.unwrap().is_some());

    assert_eq!(rm.logins(), 0);
    assert!(rm.tokens().await.iter().all(|t| t == "issued-by-the-office"));
}

#[tokio::test]
async fn a_stale_token_is_renewed_once() {
    let (rm, client) = client().await;
    client.find_caller(&phone(RM_TENANT)).await.unwrap();
    rm.expire_token();

    let person = client.find_caller(&phone(RM_PROSPECT)).await.unwrap();

    assert_eq!(person.map(|p| p.id), Some(77));
    assert_eq!(rm.logins(), 2);
}

#[tokio::test]
async fn a_token_refused_twice_is_an_error_not_a_loop() {
    let (rm, client) = client().await;
    rm.set(|s| s.refuse_every_token = true);

    let error = client.create_service_issue(&leak(Some(42))).await.unwrap_err();

    assert!(
        matches!(error, RentManagerError::Unauthorized(ref m) if m.contains("Invalid API Token")),
        "{error:?}"
    );
    assert!(!error.is_retryable());
    assert_eq!(rm.logins(), 2, "one login, one renewal, then give up");
    assert_eq!(rm.tokens().await.len(), 2);
}

#[tokio::test]
async fn a_refused_login_is_unauthorized() {
    let rm = FakeRentManager::start().await;
    let wrong = Auth::Login { username: RM_USERNAME.into(), password: "wrong".into(), location_id: None };
    let client = RentManager::new(Settings { auth: wrong, ..settings(rm.url()) }).unwrap();

    let error = client.find_caller(&phone(RM_TENANT)).await.unwrap_err();

    assert!(matches!(error, RentManagerError::Unauthorized(_)), "{error:?}");
    assert!(client.check().await.is_err());
}

#[tokio::test]
async fn a_slow_server_times_out_with_a_typed_error() {
    let rm = FakeRentManager::start().await;
    rm.set(|s| s.delay = Duration::from_secs(2));
    let client =
        RentManager::new(Settings { request_timeout: Duration::from_millis(200), ..settings(rm.url()) })
            .unwrap();

    let error = client.find_caller(&phone(RM_TENANT)).await.unwrap_err();

    assert!(matches!(error, RentManagerError::Timeout), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn an_unreachable_server_is_a_retryable_connect_error() {
    let url = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let client = RentManager::new(settings(url)).unwrap();

    let error = client.find_caller(&phone(RM_TENANT)).await.unwrap_err();

    assert!(matches!(error, RentManagerError::Connect(_)), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn five_hundreds_are_retryable_errors() {
    let (rm, client) = client().await;
    rm.set(|s| s.failing = 1);

    let error = client.create_service_issue(&leak(Some(42))).await.unwrap_err();

    assert!(
        matches!(error, RentManagerError::Status { status: 503, ref message } if message.contains("database updates"))
    );
    assert!(error.is_retryable());
    assert!(client.create_service_issue(&leak(Some(42))).await.is_ok(), "the next attempt goes through");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_not_worth_retrying() {
    let (rm, client) = client().await;
    rm.set(|s| s.malformed = true);

    let error = client.create_service_issue(&leak(Some(42))).await.unwrap_err();

    assert!(matches!(error, RentManagerError::Decode(_)), "{error:?}");
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_service_issue_is_created_with_ids_looked_up_by_name_once() {
    let (rm, client) = client().await;

    let first = client.create_service_issue(&leak(Some(42))).await.unwrap();
    let second = client.create_service_issue(&leak(Some(42))).await.unwrap();

    assert_eq!((first, second), (4567, 4568));
    let saves = rm.received("POST", "/ServiceManagerIssues").await;
    let issue = &saves[0][0];
    assert_eq!(
        (issue["Title"].as_str(), issue["IsClosed"].as_bool()),
        (Some("Kitchen sink leaking"), Some(false))
    );
    assert!(issue["Description"].as_str().unwrap().contains("Permission to enter: yes"));
    assert_eq!(issue["IsAllowedToEnter"], true);
    assert_eq!(
        (issue["CategoryID"].as_i64(), issue["PriorityID"].as_i64(), issue["StatusID"].as_i64()),
        (Some(9), Some(2), Some(6)),
        "Maintenance, High (the closest to urgent), Open"
    );
    assert_eq!(issue["ServiceManagerIssueLinkedProperties"][0]["PropertyID"], 5);
    assert_eq!(issue["ServiceManagerIssueLinkedUnits"][0]["UnitID"], 321);
    assert_eq!(issue["ServiceManagerIssueLinkedTenants"][0]["TenantID"], 42);
    for list in ["/ServiceManagerCategories", "/ServiceManagerPriorities", "/ServiceManagerStatuses"] {
        assert_eq!(rm.count("GET", list).await, 1, "{list} fetched once");
    }
    let links = rm.requests().await.iter().filter(|r| r.url.path().contains("/Link")).count();
    assert_eq!(links, 0, "the save showed its links");
}

#[tokio::test]
async fn a_priority_the_office_does_not_have_is_left_out() {
    let (rm, client) = client().await;
    rm.set(|s| s.priorities = vec![(7, "P1"), (8, "P2")]);

    client
        .create_service_issue(&NewServiceIssue { priority: Priority::Emergency, ..leak(Some(42)) })
        .await
        .unwrap();

    let issue = &rm.received("POST", "/ServiceManagerIssues").await[0][0];
    assert!(issue.get("PriorityID").is_none(), "{issue}");
    assert_eq!(issue["CategoryID"], 9);
}

#[tokio::test]
async fn an_issue_the_save_did_not_link_is_linked_by_the_link_actions() {
    let (rm, client) = client().await;
    rm.set(|s| s.links_ignored = true);

    let id = client.create_service_issue(&leak(Some(42))).await.unwrap();

    for link in ["LinkProperty?propertyID=5", "LinkUnit?unitID=321", "LinkTenant?tenantID=42"] {
        let (action, query) = link.split_once('?').unwrap();
        let path = format!("/ServiceManagerIssues/{id}/{action}");
        let sent = rm.requests().await.into_iter().filter(|r| r.url.path() == path).collect::<Vec<_>>();
        assert_eq!(sent.len(), 1, "{path}");
        assert_eq!(sent[0].url.query(), Some(query));
    }
}

#[tokio::test]
async fn a_refused_link_does_not_fail_an_issue_that_exists() {
    let (rm, client) = client().await;
    rm.set(|s| {
        s.links_ignored = true;
        s.refuse_links = true;
    });

    let id = client.create_service_issue(&leak(Some(42))).await;

    assert_eq!(id.unwrap(), 4567, "a retry would file the issue twice");
    assert_eq!(rm.count("POST", "/ServiceManagerIssues").await, 1);
}

#[tokio::test]
async fn a_history_note_is_added() {
    let (rm, client) = client().await;

    let tenant = client.add_history_note(NoteOn::Tenant(42), "Caller reported a leak; issue 4567.").await;
    rm.set(|s| s.echo_notes = true);
    let prospect = client.add_history_note(NoteOn::Prospect(77), "Asked about 4A.").await;

    assert_eq!(
        (tenant.unwrap(), prospect.unwrap()),
        (None, Some(8001)),
        "the id when Rent Manager gives one"
    );
    let note = &rm.received("POST", "/Tenants/HistoryNotes").await[0][0];
    assert_eq!(
        (note["ParentID"].as_i64(), note["Note"].as_str()),
        (Some(42), Some("Caller reported a leak; issue 4567."))
    );
    assert!(note["HistoryDate"].as_str().is_some());
    assert_eq!(rm.received("POST", "/Prospects/HistoryNotes").await[0][0]["ParentID"], 77);
}

#[tokio::test]
async fn a_history_note_falls_back_to_the_parent_with_its_notes() {
    let (rm, client) = client().await;
    rm.set(|s| {
        s.nested_notes_only = true;
        s.echo_notes = true;
    });

    let id = client.add_history_note(NoteOn::Tenant(42), "Called about the leak.").await.unwrap();

    assert_eq!(id, Some(8002));
    let sent = rm.received("POST", "/Tenants/HistoryNotes").await;
    assert_eq!(sent.len(), 2, "the flat form, refused, then the nested form");
    assert_eq!(sent[1][0]["TenantID"], 42);
    assert_eq!(sent[1][0]["HistoryNotes"][0]["Note"], "Called about the leak.");
}

#[tokio::test]
async fn the_check_logs_in_and_reports_ok() {
    let (rm, client) = client().await;

    assert_eq!(client.check().await, Ok(()));
    assert_eq!(client.check().await, Ok(()));

    assert_eq!(rm.logins(), 1);
    assert_eq!(rm.count("GET", "/ServiceManagerStatuses").await, 1, "remembered for a minute");
}

#[tokio::test]
async fn an_issue_is_found_again_by_its_marker_and_only_by_it() {
    let rm = FakeRentManager::start().await;
    let client = RentManager::new(settings(rm.url())).unwrap();
    assert_eq!(client.issue_marked("CA9-3").await.unwrap(), None);

    let id = client.create_service_issue(&leak(Some(42))).await.unwrap();

    assert_eq!(client.issue_marked("CA9-3").await.unwrap(), Some(id));
    assert_eq!(client.issue_marked("CA9-4").await.unwrap(), None);
}
