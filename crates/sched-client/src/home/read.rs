//! Reading one order again (before claiming or starting it): the ServiceRequest with its
//! Patient and Coverage, or nothing when the home deleted it.

use reqwest::Method;

use super::queue::{Order, raw_page};
use super::{HomeClient, HomeError};
use crate::error::ClientError;
use crate::org::local_id;
use crate::transport::Req;

impl HomeClient {
    /// The order `order_id` as the home holds it now (any status), with its patient and
    /// coverage: `GET ServiceRequest?_id=<id>&_include=…`. `None` when the home no longer has
    /// it (absent from the search, or answered 404/410).
    pub async fn read_order(&self, order_id: &str) -> Result<Option<Order>, HomeError> {
        let id = local_id("ServiceRequest", order_id)?;
        let query = vec![
            ("_id".to_owned(), id.to_owned()),
            ("_include".to_owned(), "ServiceRequest:patient".to_owned()),
            ("_include".to_owned(), "ServiceRequest:insurance".to_owned()),
        ];
        let req = Req::new(Method::GET, self.org.url("ServiceRequest")?).query(query);
        self.count();
        let bundle = self
            .org
            .read(&req, |r| {
                serde_json::from_slice::<serde_json::Value>(&r.body)
                    .map_err(|e| ClientError::malformed("order read", e.to_string()))
            })
            .await;
        let bundle = match bundle {
            Ok(b) => b,
            Err(ClientError::Status {
                status: 404 | 410, ..
            }) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let (page, _, _) = self.complete(raw_page(&bundle)?).await?;
        if let Some(bad) = page
            .unreadable
            .into_iter()
            .find(|u| u.id.as_deref() == Some(id))
        {
            return Err(HomeError::unexpected("order read", bad.reason));
        }
        Ok(page.orders.into_iter().find(|o| o.id() == id))
    }
}
