//! Reading one order again (before claiming or starting it): the ServiceRequest (an STU3
//! home's ReferralRequest, converted) with its Patient and Coverage, or nothing when the home
//! deleted it.

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
        let kind = self.order_kind().await?;
        let id = local_id(kind.resource_type(), order_id)?;
        let mut query = vec![("_id".to_owned(), id.to_owned())];
        query.extend(kind.includes());
        let req = Req::new(Method::GET, self.org.url(kind.resource_type())?).query(query);
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
        let (page, _, _) = self.complete(raw_page(kind, &bundle)?).await?;
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
