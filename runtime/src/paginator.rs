//! Paginators: every page of a `@paginated` operation, one call per page.

use crate::{Client, Error, Operation, PaginationError};
use futures_core::Stream;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

type PageResult<O> = Result<<O as Operation>::Output, Error<<O as Operation>::Error>>;

/// The call in flight, which hands the input back with its result so that
/// the next page reuses it.
type PageFuture<O> = Pin<Box<dyn Future<Output = (<O as Operation>::Input, PageResult<O>)> + Send>>;

enum State<O: Operation> {
    /// The input of the next page, which carries its token.
    Ready(O::Input),
    /// The request of a page is in flight.
    Calling(PageFuture<O>),
    /// The service repeated its token: the error comes next.
    Repeated,
    /// Every page was returned, or an error was.
    Done,
}

/// Every page of a `@paginated` operation `O`, whose pagination token has
/// type `T`.
///
/// Generated operations make one with `Op::paginate(&client, input)`. The
/// first request sends `input` as given (set a page size on it, the
/// model's `pageSize` member, to choose how much each page holds); each
/// next request is the same input with the input token set to the output
/// token of the previous page. Pagination ends after the page without a
/// token (an empty string, list or map counts as none, as in the AWS SDKs),
/// after the first error, or with an [`Error::Pagination`] when the service
/// answers a page with the token the request carried, which would loop
/// forever.
///
/// Read the pages with [`next_page`](Self::next_page) or as a
/// [`Stream`]; [`items`](Self::items) flattens them into their items.
/// Requests go out one at a time, only when a page is asked for.
///
/// ```no_run
/// mod pages {
///     opgen::include_operation!("ListWidgets", model = "../tests/ui/models/paginated.json");
/// }
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = opgen::Client::from_env();
/// let input = pages::ListWidgetsInput::builder().max_results(50).build()?;
/// let mut pages = pages::ListWidgets::paginate(&client, input);
/// while let Some(page) = pages.next_page().await {
///     println!("{} widgets", page?.page().widgets().len());
/// }
///
/// // Or item by item, across pages.
/// let input = pages::ListWidgetsInput::builder().build()?;
/// let mut widgets = pages::ListWidgets::paginate_items(&client, input);
/// while let Some(widget) = widgets.next_item().await {
///     println!("{}", widget?.name());
/// }
/// # Ok(())
/// # }
/// ```
pub struct Paginator<O: Operation, T> {
    client: Client,
    state: State<O>,
    output_token: fn(&O::Output) -> Option<T>,
    set_input_token: fn(&mut O::Input, T),
    /// The token the request in flight carries (none for the first page).
    sent: Option<T>,
}

// Nothing is pinned in place: the future in flight is boxed.
impl<O: Operation, T> Unpin for Paginator<O, T> {}

impl<O: Operation, T> fmt::Debug for Paginator<O, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready(_) => "ready",
            State::Calling(_) => "calling",
            State::Repeated | State::Done => "done",
        };
        f.debug_struct("Paginator")
            .field("operation", &O::NAME)
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

impl<O, T> Paginator<O, T>
where
    O: Operation,
    T: Clone + PartialEq + Send + 'static,
{
    /// Pages of `O` starting from `input`: `output_token` reads the token of
    /// a page (`None` when there is none), `set_input_token` puts it on the
    /// input of the next request. Generated `Op::paginate` functions call
    /// this with the operation's `@paginated` members.
    pub fn new(
        client: &Client,
        input: O::Input,
        output_token: fn(&O::Output) -> Option<T>,
        set_input_token: fn(&mut O::Input, T),
    ) -> Self {
        Paginator {
            client: client.clone(),
            state: State::Ready(input),
            output_token,
            set_input_token,
            sent: None,
        }
    }

    /// The next page; `None` once every page (or an error) was returned.
    pub async fn next_page(&mut self) -> Option<PageResult<O>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    /// The items of every page, in order, with `items` taking them out of a
    /// page. Generated operations whose model names the items offer
    /// `Op::paginate_items`, which calls this.
    pub fn items<I>(self, items: fn(O::Output) -> Vec<I>) -> Items<O, T, I> {
        Items {
            pages: self,
            items,
            current: Vec::new().into_iter(),
        }
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<PageResult<O>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Repeated => {
                    return Poll::Ready(Some(Err(Error::Pagination(
                        PaginationError::repeated_token(),
                    ))))
                }
                State::Ready(input) => {
                    let client = self.client.clone();
                    self.state = State::Calling(Box::pin(async move {
                        let result = client.call_ref::<O>(&input).await;
                        (input, result)
                    }));
                }
                State::Calling(mut call) => {
                    let (mut input, result) = match call.as_mut().poll(cx) {
                        Poll::Pending => {
                            self.state = State::Calling(call);
                            return Poll::Pending;
                        }
                        Poll::Ready(done) => done,
                    };
                    let output = match result {
                        Ok(output) => output,
                        // State stays `Done`: an error ends the pages.
                        Err(e) => return Poll::Ready(Some(Err(e))),
                    };
                    match (self.output_token)(&output) {
                        None => {}
                        Some(token) if self.sent.as_ref() == Some(&token) => {
                            self.state = State::Repeated;
                        }
                        Some(token) => {
                            (self.set_input_token)(&mut input, token.clone());
                            self.sent = Some(token);
                            self.state = State::Ready(input);
                        }
                    }
                    return Poll::Ready(Some(Ok(output)));
                }
            }
        }
    }
}

impl<O, T> Stream for Paginator<O, T>
where
    O: Operation,
    T: Clone + PartialEq + Send + 'static,
{
    type Item = PageResult<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of every page of a [`Paginator`], from
/// [`Paginator::items`] (or a generated `Op::paginate_items`).
///
/// Read them with [`next_item`](Self::next_item) or as a [`Stream`]; an
/// error fetching a page is returned once, and ends the items.
pub struct Items<O: Operation, T, I> {
    pages: Paginator<O, T>,
    items: fn(O::Output) -> Vec<I>,
    current: std::vec::IntoIter<I>,
}

impl<O: Operation, T, I> Unpin for Items<O, T, I> {}

impl<O: Operation, T, I> fmt::Debug for Items<O, T, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .finish_non_exhaustive()
    }
}

impl<O, T, I> Items<O, T, I>
where
    O: Operation,
    T: Clone + PartialEq + Send + 'static,
{
    /// The next item; `None` once every page (or an error) was returned.
    pub async fn next_item(&mut self) -> Option<Result<I, Error<O::Error>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<I, Error<O::Error>>>> {
        loop {
            if let Some(item) = self.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => self.current = (self.items)(page).into_iter(),
            }
        }
    }
}

impl<O, T, I> Stream for Items<O, T, I>
where
    O: Operation,
    T: Clone + PartialEq + Send + 'static,
{
    type Item = Result<I, Error<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}
